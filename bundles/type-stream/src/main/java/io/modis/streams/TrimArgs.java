package io.modis.streams;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;

/**
 * The options XADD and XTRIM share (Redis's streamParseAddOrTrimArgsOrReply): MAXLEN or MINID
 * with {@code =} or {@code ~}, LIMIT, and for XADD NOMKSTREAM and the ID.
 */
final class TrimArgs {
    enum Strategy { NONE, MAXLEN, MINID }

    Strategy strategy = Strategy.NONE;
    boolean approximate;
    long maxLen;
    StreamId minId;
    long limit;
    /** Index of the MAXLEN count or MINID id argument (for rewriting it when propagating). */
    int strategyArgIndex;
    boolean noMkStream;
    /** XADD: index of the ID argument, and the ID if one other than {@code *} was given. */
    int idIndex;
    StreamId.Parsed id;

    static TrimArgs parse(CommandContext ctx, boolean xadd, long nodeMaxEntries) {
        TrimArgs a = new TrimArgs();
        boolean limitGiven = false;
        int argc = ctx.argc();
        int i = 2;
        for (; i < argc; i++) {
            int more = argc - 1 - i;
            byte[] opt = ctx.arg(i);
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (Bytes.is(opt, "maxlen") && more > 0) {
                i = a.strategy(ctx, i, more, Strategy.MAXLEN);
            } else if (Bytes.is(opt, "minid") && more > 0) {
                i = a.strategy(ctx, i, more, Strategy.MINID);
            } else if (Bytes.is(opt, "limit") && more > 0) {
                a.limit = ctx.argLong(i + 1);
                if (a.limit < 0) {
                    throw new CommandException("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && Bytes.is(opt, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                a.id = StreamId.parseForAdd(opt);
                break;
            } else {
                throw Errors.syntax();
            }
        }
        a.idIndex = i;
        if (a.limit != 0 && a.strategy == Strategy.NONE) {
            throw new CommandException(
                    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == Strategy.NONE) {
            throw new CommandException("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (ctx.mustObey()) {
            // an effect being replayed (the AOF): '= N LIMIT L' is how an approximate trim is
            // propagated, and it trims exactly, without a limit (as Redis)
            a.limit = 0;
        } else if (limitGiven) {
            if (!a.approximate) {
                throw new CommandException("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approximate) {
            // Bounds the work of one approximate trim to about 100 blocks, as Redis does.
            a.limit = nodeMaxEntries > 1_000_000 ? 1_000_000 : 100 * nodeMaxEntries;
            if (a.limit <= 0) {
                a.limit = 10000;
            }
            a.limit = Math.min(a.limit, 1_000_000);
        } else {
            a.limit = 0;
        }
        return a;
    }

    private int strategy(CommandContext ctx, int i, int more, Strategy s) {
        if (strategy != Strategy.NONE) {
            throw new CommandException(
                    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        }
        approximate = false;
        byte[] next = ctx.arg(i + 1);
        if (more >= 2 && next.length == 1 && next[0] == '~') {
            approximate = true;
            i++;
        } else if (more >= 2 && next.length == 1 && next[0] == '=') {
            i++;
        }
        if (s == Strategy.MAXLEN) {
            maxLen = ctx.argLong(i + 1);
            if (maxLen < 0) {
                throw new CommandException("ERR The MAXLEN argument must be >= 0.");
            }
        } else {
            minId = StreamId.parseStrict(ctx.arg(i + 1));
        }
        i++;
        strategy = s;
        strategyArgIndex = i;
        return i;
    }

    /** Runs the trim; the number of entries removed. */
    long apply(StreamValue s) {
        return switch (strategy) {
            case NONE -> 0;
            case MAXLEN -> s.trim(maxLen, null, approximate, limit);
            case MINID -> s.trim(-1, minId, approximate, limit);
        };
    }

    /**
     * Rewrites an approximate trim as the exact one it turned out to be (Redis's
     * streamRewriteApproxSpecifier and streamRewriteTrimArgument), so replicas trim the same.
     */
    void rewriteExact(byte[][] argv, StreamValue s) {
        argv[strategyArgIndex - 1] = Bytes.of("=");
        argv[strategyArgIndex] = strategy == Strategy.MAXLEN
                ? Bytes.fromLong(s.length()) : s.firstIdIncludingDeleted().toBytes();
    }
}
