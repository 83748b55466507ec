-- Extends a lock's time to live only if the caller still owns it (check-and-expire).
-- KEYS[1]  the lock key
-- ARGV[1]  the owner's token
-- ARGV[2]  the new time to live, in milliseconds
-- Returns 1 if the lock was extended, 0 if it is held by someone else or gone.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
