/** The AWS host grammar as a table: the labels before the domain in, the customer's labels out. */
import { expect, test } from "bun:test";
import { customerLabels } from "../../../src/masking/catalogue/hosts.ts";

const TABLE: [lead: string, domain: string, customer: string | undefined][] = [
  // A service that always carries a customer's prefix: whatever is left of it is the customer's.
  ["search-logs-4fx2abc9.eu-west-1.es", "amazonaws.com", "search-logs-4fx2abc9"],
  ["b-1.orders-kafka.abc123.c2.kafka.us-east-1", "amazonaws.com", "b-1.orders-kafka.abc123.c2"],
  ["mydocdb.cluster-c9akciq32xyz.us-east-1.docdb", "amazonaws.com", "mydocdb.cluster-c9akciq32xyz"],
  ["orders.s3.us-east-1", "amazonaws.com", "orders"],
  ["my-domain-123456789012.d.codeartifact.us-east-1", "amazonaws.com", "my-domain-123456789012"],
  // Domains where every host is a customer's.
  ["abcd1234efgh5678.lambda-url.us-east-1", "on.aws", "abcd1234efgh5678"],
  ["acme", "awsapps.com", "acme"],
  ["web-prod.eba-abcd1234.us-east-1", "elasticbeanstalk.com", "web-prod.eba-abcd1234"],
  ["mydomain.auth.us-east-1", "amazoncognito.com", "mydomain"],
  // An unknown service: a label with a digit, or several, are the customer's, and the service's
  // own label, which the list does not know, goes with them (the safe side).
  ["widget-7f3k.newsvc.us-east-1", "amazonaws.com", "widget-7f3k.newsvc"],
  ["alpha.beta.newsvc.us-east-1", "amazonaws.com", "alpha.beta.newsvc"],
  // AWS's own: endpoints, principals, an unknown service's own endpoint.
  ["sqs.us-east-1", "amazonaws.com", undefined],
  ["s3", "amazonaws.com", undefined],
  ["ecs-tasks", "amazonaws.com", undefined],
  ["bedrock-runtime.us-east-1", "amazonaws.com", undefined],
  ["newsvc.us-east-1", "amazonaws.com", undefined],
  ["sts.cn-north-1", "amazonaws.com.cn", undefined],
  ["us-west-1.queue", "amazonaws.com", undefined],
];

test.each(TABLE)("%s.%s", (lead, domain, customer) => expect(customerLabels(lead, domain)).toBe(customer));
