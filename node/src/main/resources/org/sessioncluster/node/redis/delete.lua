-- Invalidate: every key of the session goes at once. KEYS: 1 data, 2 lock, 3 expiry marker
-- ARGV: 1 channel ('' = none), 2 message, 3 this node's name when holders are recorded ('' = they are not).
-- Returns the number of keys removed. Told only if a node other than this one may keep a copy (field 'h',
-- see fetch.lua); where holders are not recorded, always.
local tell = ARGV[1] ~= '' and (ARGV[3] == '' or redis.call('HGET', KEYS[1], 'h') ~= ARGV[3])
local n = redis.call('DEL', KEYS[1], KEYS[3], KEYS[2])
if tell then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return n
