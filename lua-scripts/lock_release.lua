-- Releases a lock only if the caller still owns it (check-and-delete).
-- KEYS[1]  the lock key
-- ARGV[1]  the owner's token (the value it was set with: SET lock token NX PX ttl)
-- Returns 1 if the lock was released, 0 if it is held by someone else or gone.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
