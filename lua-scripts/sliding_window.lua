-- Sliding-window rate limiter on a sorted set: at most `limit` requests in any `window` ms.
-- KEYS[1]  the window (a sorted set of request ids scored by their time)
-- ARGV[1]  limit    ARGV[2]  window, in ms    ARGV[3]  now, in ms
-- ARGV[4]  a unique id for this request (e.g. now .. ':' .. a random number)
-- Returns {allowed (1 or 0), requests left in the window}.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1}
end
return {0, 0}
