-- Invalidate: every key of the session goes at once. KEYS: 1 data, 2 lock, 3 expiry marker
-- ARGV: 1 channel ('' = none), 2 message. Returns the number of keys removed.
local n = redis.call('DEL', KEYS[1], KEYS[3], KEYS[2])
if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return n
