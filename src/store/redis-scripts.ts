/**
 * Lua scripts run atomically inside Redis, one round trip per batch. Every key of a tenant
 * carries the same `{hash tag}`, and KEYS[1] is a key in that slot, so the scripts also run
 * on Redis Cluster. Layout (TAG = `cmp:{<tenant hash>}`):
 *   TAG:o:<hmac(original)>  → surrogate               (expires: MAPPING_TTL, extended on use)
 *   TAG:s:<surrogate>       → <hmac>:<AES-GCM sealed> (same lifetime)
 *   TAG:n:<prefix>          → counter                 (never expires: numbers are never reused)
 *   TAG:j                   → list of surrogates, in creation order: the tenant's change feed
 *                             (never expires; an entry whose mapping expired is skipped on read)
 */

/** ARGV: ttlMs, refreshBelowMs, then triples (hmac, prefix, sealed). Returns surrogates. */
export const GET_OR_CREATE = `
local tag = string.sub(KEYS[1], 1, -3)
local ttl = tonumber(ARGV[1])
local refresh_below = tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV, 3 do
  local okey = tag .. ':o:' .. ARGV[i]
  local s = redis.call('GET', okey)
  if s then
    if redis.call('PTTL', okey) < refresh_below then
      redis.call('PEXPIRE', okey, ttl)
      redis.call('PEXPIRE', tag .. ':s:' .. s, ttl)
    end
  else
    local n = redis.call('INCR', tag .. ':n:' .. ARGV[i + 1])
    s = ARGV[i + 1] .. '_' .. string.format('%03d', n)
    redis.call('SET', okey, s, 'PX', ttl)
    redis.call('SET', tag .. ':s:' .. s, ARGV[i] .. ':' .. ARGV[i + 2], 'PX', ttl)
    redis.call('RPUSH', tag .. ':j', s)
  end
  out[#out + 1] = s
end
return out
`;

/** ARGV: ttlMs, refreshBelowMs, then surrogates. Returns `<hmac>:<sealed>` or false per surrogate. */
export const LOOKUP = `
local tag = string.sub(KEYS[1], 1, -3)
local ttl = tonumber(ARGV[1])
local refresh_below = tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do
  local skey = tag .. ':s:' .. ARGV[i]
  local v = redis.call('GET', skey)
  out[#out + 1] = v
  if v and redis.call('PTTL', skey) < refresh_below then
    redis.call('PEXPIRE', skey, ttl)
    redis.call('PEXPIRE', tag .. ':o:' .. string.match(v, '^[^:]+'), ttl)
  end
end
return out
`;

/**
 * ARGV: cursor (entries already read), limit. Returns a flat list: surrogate, then
 * `<hmac>:<sealed>` or '' (expired) per entry; the new cursor is the old one plus the count.
 */
export const CHANGES_SINCE = `
local tag = string.sub(KEYS[1], 1, -3)
local from = tonumber(ARGV[1])
local list = redis.call('LRANGE', tag .. ':j', from, from + tonumber(ARGV[2]) - 1)
local out = {}
for _, s in ipairs(list) do
  out[#out + 1] = s
  out[#out + 1] = redis.call('GET', tag .. ':s:' .. s) or ''
end
return out
`;
