import { describe, expect, test } from "bun:test";
import { findLeaks } from "../../src/proxy/egress-guard.ts";

describe("egress guard", () => {
  const entities = [
    { type: "ec2_instance", surrogate: "AWS_EC2_001", original: "i-0a1b2c3d4e5f67890" },
    { type: "url_password", surrogate: "SECRET_PASSWORD_001", original: 'pa"ss/word\\1' },
    { type: "assigned_secret", surrogate: "SECRET_VALUE_001", original: "short" },
  ];
  test("finds an original left in the body, raw or JSON-escaped", () => {
    expect(findLeaks('{"a":"AWS_EC2_001","b":"i-0a1b2c3d4e5f67890"}', entities)).toEqual([entities[0]!]);
    expect(findLeaks(JSON.stringify({ x: 'pa"ss/word\\1' }), entities)).toEqual([entities[1]!]);
  });
  test("a clean body and very short originals (ordinary words) do not fire", () => {
    expect(findLeaks('{"a":"AWS_EC2_001 is short"}', entities)).toEqual([]);
  });
});
