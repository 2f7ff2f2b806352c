/**
 * EC2 and VPC resource IDs: `prefix-` followed by 8 or 17 hex digits. The 17-hex form is
 * tried first and neither may be followed by another word character, so an 8-hex pattern can
 * never mask just the head of a 17-hex ID.
 */
import { TOKEN_START, tokenStartsAt } from "../boundary.ts";
import { RIGHT, type CatalogueEntry } from "../types.ts";

const RESOURCES: [type: string, idPrefix: string, prefix: string, longOnly?: boolean][] = [
  ["ec2_instance", "i", "AWS_EC2"],
  ["ec2_ami", "ami", "AWS_AMI"],
  ["vpc", "vpc", "AWS_VPC"],
  ["subnet", "subnet", "AWS_SUBNET"],
  ["security_group", "sg", "AWS_SG"],
  ["security_group_rule", "sgr", "AWS_SG_RULE"],
  ["network_interface", "eni", "AWS_ENI"],
  ["ebs_volume", "vol", "AWS_EBS_VOLUME"],
  ["ebs_snapshot", "snap", "AWS_EBS_SNAPSHOT"],
  ["efs_file_system", "fs", "AWS_EFS"],
  ["efs_access_point", "fsap", "AWS_EFS_ACCESS_POINT"],
  ["efs_mount_target", "fsmt", "AWS_EFS_MOUNT_TARGET"],
  ["internet_gateway", "igw", "AWS_IGW"],
  ["egress_only_internet_gateway", "eigw", "AWS_EIGW"],
  ["nat_gateway", "nat", "AWS_NAT_GW"],
  ["transit_gateway", "tgw", "AWS_TGW"],
  ["transit_gateway_attachment", "tgw-attach", "AWS_TGW_ATTACHMENT"],
  ["transit_gateway_route_table", "tgw-rtb", "AWS_TGW_ROUTE_TABLE"],
  ["vpn_connection", "vpn", "AWS_VPN"],
  ["vpn_gateway", "vgw", "AWS_VGW"],
  ["customer_gateway", "cgw", "AWS_CGW"],
  ["elastic_ip_allocation", "eipalloc", "AWS_EIP_ALLOC"],
  ["elastic_ip_association", "eipassoc", "AWS_EIP_ASSOC"],
  ["route_table", "rtb", "AWS_ROUTE_TABLE"],
  ["route_table_association", "rtbassoc", "AWS_ROUTE_TABLE_ASSOC"],
  ["network_acl", "acl", "AWS_NACL"],
  ["vpc_endpoint", "vpce", "AWS_VPC_ENDPOINT"],
  ["vpc_endpoint_service", "vpce-svc", "AWS_VPC_ENDPOINT_SERVICE"],
  ["vpc_peering", "pcx", "AWS_VPC_PEERING"],
  ["vpc_flow_log", "fl", "AWS_FLOW_LOG"],
  ["dhcp_options", "dopt", "AWS_DHCP_OPTIONS"],
  ["prefix_list", "pl", "AWS_PREFIX_LIST"],
  ["launch_template", "lt", "AWS_LAUNCH_TEMPLATE"],
  ["key_pair", "key", "AWS_KEY_PAIR", true],
  ["placement_group", "pg", "AWS_PLACEMENT_GROUP", true],
  ["reservation", "r", "AWS_RESERVATION", true],
  ["spot_request", "sir", "AWS_SPOT_REQUEST"],
  ["capacity_reservation", "cr", "AWS_CAPACITY_RESERVATION", true],
  ["ec2_fleet", "fleet", "AWS_EC2_FLEET"],
  ["ec2_import_task", "import-ami", "AWS_IMPORT_TASK"],
  ["directconnect_connection", "dxcon", "AWS_DX_CONNECTION"],
  ["traffic_mirror_session", "tms", "AWS_TRAFFIC_MIRROR"],
  ["local_gateway", "lgw", "AWS_LOCAL_GATEWAY"],
  ["carrier_gateway", "cagw", "AWS_CARRIER_GATEWAY"],
  ["ipam", "ipam", "AWS_IPAM"],
];

const byIdPrefix = new Map(RESOURCES.map(([type, idPrefix, prefix]) => [idPrefix, { type, prefix }]));
const escape = (idPrefix: string) => idPrefix.replace("-", "\\-");
// Longest ID prefixes first, so `tgw-attach-` is not read as `tgw-`.
const longFirst = [...RESOURCES].sort((a, b) => b[1].length - a[1].length);
const hexAlternatives = longFirst.filter(([, p, , longOnly]) => !longOnly && p !== "dxcon").map(([, p]) => escape(p));
const longOnlyAlternatives = longFirst.filter(([, , , longOnly]) => longOnly).map(([, p]) => escape(p));

const BOUNDARY = TOKEN_START;
const longestIdPrefix = Math.max(...RESOURCES.map(([, idPrefix]) => idPrefix.length));

/** The ID prefix ending at `index` (the regex's lookbehind has already checked there is one). */
function idPrefixBefore(text: string, index: number): string {
  for (let length = Math.min(longestIdPrefix, index); length > 0; length--) {
    const candidate = text.slice(index - length, index);
    const start = index - length;
    if (byIdPrefix.has(candidate) && tokenStartsAt(text, start)) return candidate;
  }
  return text.slice(text.lastIndexOf("-", index - 1) + 1, index) || text.slice(Math.max(0, index - 1), index);
}

/**
 * An ID after its `-`: the lookahead rejects most hyphens before any lookbehind runs; no
 * capture groups (they slow every attempt): leadIn and classify read the ID prefix from the text.
 */
const AFTER_HYPHEN =
  `(?=[0-9a-z]{8})(?:(?<=${BOUNDARY}(?:${hexAlternatives.join("|")})-)(?:[0-9a-f]{17}|[0-9a-f]{8})` +
  `|(?<=${BOUNDARY}(?:${longOnlyAlternatives.join("|")})-)[0-9a-f]{17}` +
  `|(?<=${BOUNDARY}dxcon-)[0-9a-z]{8})${RIGHT}(?!-[0-9a-f]{4,}${RIGHT})`;

/**
 * One entry, one regex for the whole family (one pass over the text instead of forty);
 * `classify` names the type from the ID prefix that matched. The regex starts at the `-`
 * and reads the prefix in a lookbehind, so the engine only stops at hyphens.
 */
export const ec2Entries: CatalogueEntry[] = [
  {
    type: "ec2_resource_id",
    prefix: "AWS_EC2",
    priority: 20,
    pattern: new RegExp(`-${AFTER_HYPHEN}`, "g"),
    // The whole pattern is the trigger's condition: hyphens are common (dates, names, flags).
    triggers: [{ chars: "-", when: `(?=${AFTER_HYPHEN})` }],
    leadIn: (_groups, text, index) => idPrefixBefore(text, index).length,
    classify: (_groups, matched) => byIdPrefix.get(matched.slice(0, matched.lastIndexOf("-", matched.length - 9))),
    family: [...byIdPrefix.values()],
  },
];
