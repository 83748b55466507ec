-- flags: no-writes
-- Leaderboard "rank around me": a member's rank (0 = highest score) and its neighbours.
-- KEYS[1]  the leaderboard (a sorted set, higher score ranks first)
-- ARGV[1]  the member      ARGV[2]  how many neighbours on each side
-- Returns {rank, {member, score, member, score, ...}} from rank-n to rank+n,
-- or an empty array if the member is not on the board.
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then
  return {}
end
local n = tonumber(ARGV[2])
local first = math.max(0, rank - n)
return {rank, redis.call('ZREVRANGE', KEYS[1], first, rank + n, 'WITHSCORES')}
