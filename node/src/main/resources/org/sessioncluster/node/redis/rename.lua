-- Give a session a new id (login) in one step; the request's lock moves with it.
-- KEYS: 1 old data, 2 new data, 3 old lock, 4 new lock, 5 old expiry marker, 6 new expiry marker
-- ARGV: 1 lock token ('' = none), 2 lease ms, 3 channel ('' = none), 4 message,
--       5 this node's name when holders are recorded ('' = they are not: told always)
-- Returns 1 when renamed, 0 when there was nothing stored under the old id yet.
if ARGV[1] ~= '' then
  if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[2])
end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
local ttl = redis.call('PTTL', KEYS[5])
redis.call('DEL', KEYS[5])
if ttl > 0 then redis.call('SET', KEYS[6], '', 'PX', ttl) end
-- only a holder other than this node (or none recorded) may keep a copy under the old id (see save.lua)
if ARGV[3] ~= '' and redis.call('HGET', KEYS[2], 'h') ~= ARGV[5] then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return 1
