-- A session's expiry marker expired: the first node to ask takes the session's data (to tell its
-- listeners) and removes it, so they hear of it once cluster-wide. KEYS: 1 data, 2 expiry marker, 3 lock
-- Returns the hash, or {} when the session was touched again or another node took it.
if redis.call('EXISTS', KEYS[2]) == 1 then return {} end
local all = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[3])
return all
