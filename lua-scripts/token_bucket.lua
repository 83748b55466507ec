-- Token bucket rate limiter: a bucket of `capacity` tokens refilled at `rate` tokens per second;
-- a request takes `requested` tokens if there are enough.
-- KEYS[1]  the bucket (a hash: tokens, updated_ms)
-- ARGV[1]  capacity         ARGV[2]  refill rate (tokens per second)
-- ARGV[3]  now, in ms       ARGV[4]  tokens requested (default 1)
-- Returns {allowed (1 or 0), tokens left (rounded down)}.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local requested = tonumber(ARGV[4] or '1')
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated_ms')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
local elapsed = math.max(0, now - updated)
tokens = math.min(capacity, tokens + elapsed * rate / 1000)
local allowed = 0
if tokens >= requested then
  tokens = tokens - requested
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'updated_ms', now)
-- an idle bucket refills completely after capacity / rate seconds: it can go then
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate))
return {allowed, math.floor(tokens)}
