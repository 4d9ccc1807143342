-- Save a request's changes in one round trip: only the attributes it set or removed, if the session is
-- still at the version the request loaded; then set the expiry, release the request's lock and tell
-- the other nodes that may keep a copy (field 'h', see fetch.lua).
-- KEYS: 1 data hash, 2 lock, 3 expiry marker
-- ARGV: 1 lock token ('' = none), 2 expected version ('' = a new session: must not exist; '*' = no check),
--       3 now ms, 4 max inactive s, 5 touch interval ms, 6 grace ms, 7 creation time ms,
--       8 channel ('' = none), 9 message prefix, 10 this node's name, 11 number of attributes set (n),
--       then n name/value pairs, then the names removed
-- Returns {1, new version} | {0, version found ('' = none)} when another request changed it first
local v = redis.call('HGET', KEYS[1], 'v')
local expected = ARGV[2]
-- a save without a lock of its own (a read that wrote anyway) must not overwrite a request that holds one
local locked = ARGV[1] == '' and expected ~= '' and expected ~= '*' and redis.call('EXISTS', KEYS[2]) == 1
if locked or (expected == '' and v) or (expected ~= '' and expected ~= '*' and v ~= expected) then
  if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
  return {0, v or ''}
end
local nv = (tonumber(v) or 0) + 1
redis.call('HSET', KEYS[1], 'v', nv, 'la', ARGV[3], 'mi', ARGV[4])
if not v then redis.call('HSET', KEYS[1], 'ct', ARGV[7]) end
local n = tonumber(ARGV[11])
local i = 12
while i < 12 + 2 * n do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i <= #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[i])
  i = i + 1
end
local mi = tonumber(ARGV[4])
if mi > 0 then
  local ttl = mi * 1000 + tonumber(ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ttl + tonumber(ARGV[6]))
  redis.call('SET', KEYS[3], '', 'PX', ttl)
else
  redis.call('PERSIST', KEYS[1])
  redis.call('DEL', KEYS[3])
end
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
if ARGV[8] ~= '' then
  -- a holder other than this node (or none recorded, for a hash written before holders were) may keep a copy
  local h = redis.call('HGET', KEYS[1], 'h')
  if v and h ~= ARGV[10] then redis.call('PUBLISH', ARGV[8], ARGV[9] .. ' ' .. nv) end
  redis.call('HSET', KEYS[1], 'h', ARGV[10])
end
return {1, nv}
