-- Lock (optional) and load one session in one round trip, touching its expiry when it is due.
-- KEYS: 1 data hash, 2 lock, 3 expiry marker
-- ARGV: 1 lock token ('' = no lock), 2 lease ms, 3 version the caller holds ('' = none),
--       4 now ms, 5 touch interval ms, 6 grace ms (data outlives the marker so expiry listeners can read it),
--       7 the caller's node name when nodes keep copies ('' = they do not): field 'h' holds the one node that
--       may keep a copy, or '*' when more than one may, so a save announces itself only when someone listens
-- Returns {0, pttl}: locked by another request | {1}: no such session | {2, v}: the caller's copy is current |
--         {3, v, fields...}: the whole hash
if ARGV[1] ~= '' then
  if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
    return {0, redis.call('PTTL', KEYS[2])}
  end
end
local v = redis.call('HGET', KEYS[1], 'v')
if not v then
  if ARGV[1] ~= '' then redis.call('DEL', KEYS[2]) end
  return {1}
end
local now = tonumber(ARGV[4])
local la = tonumber(redis.call('HGET', KEYS[1], 'la')) or 0
if now - la >= tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[1], 'la', ARGV[4])
  local mi = tonumber(redis.call('HGET', KEYS[1], 'mi')) or 0
  if mi > 0 then
    local ttl = mi * 1000 + tonumber(ARGV[5])
    redis.call('PEXPIRE', KEYS[1], ttl + tonumber(ARGV[6]))
    redis.call('SET', KEYS[3], '', 'PX', ttl)
  end
end
if ARGV[7] ~= '' then
  local h = redis.call('HGET', KEYS[1], 'h')
  if not h then
    redis.call('HSET', KEYS[1], 'h', ARGV[7])
  elseif h ~= ARGV[7] and h ~= '*' then
    redis.call('HSET', KEYS[1], 'h', '*')
  end
end
if v == ARGV[3] then return {2, v} end
local out = {3, v}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all do out[#out + 1] = all[i] end
return out
