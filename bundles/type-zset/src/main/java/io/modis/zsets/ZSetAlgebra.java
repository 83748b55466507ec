package io.modis.zsets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;
import io.modis.api.dict.Dict;
import java.util.Arrays;
import java.util.Comparator;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (zunionInterDiffGenericCommand):
 * weights and SUM/MIN/MAX aggregation for union and intersection, plain sets as inputs.
 */
final class ZSetAlgebra {
    static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
    static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

    enum Op { UNION, INTER, DIFF }

    enum Aggregate {
        SUM {
            @Override
            double apply(double target, double value) {
                double sum = target + value;
                // inf + -inf is NaN; Redis settles such sums at 0
                return Double.isNaN(sum) ? 0.0 : sum;
            }
        },
        MIN {
            @Override
            double apply(double target, double value) {
                return value < target ? value : target;
            }
        },
        MAX {
            @Override
            double apply(double target, double value) {
                return value > target ? value : target;
            }
        };

        abstract double apply(double target, double value);
    }

    private ZSetAlgebra() {
    }

    static void zunion(CommandContext ctx) {
        run(ctx, null, 1, Op.UNION, false);
    }

    static void zinter(CommandContext ctx) {
        run(ctx, null, 1, Op.INTER, false);
    }

    static void zdiff(CommandContext ctx) {
        run(ctx, null, 1, Op.DIFF, false);
    }

    static void zintercard(CommandContext ctx) {
        run(ctx, null, 1, Op.INTER, true);
    }

    static void zunionstore(CommandContext ctx) {
        run(ctx, ctx.arg(1), 2, Op.UNION, false);
    }

    static void zinterstore(CommandContext ctx) {
        run(ctx, ctx.arg(1), 2, Op.INTER, false);
    }

    static void zdiffstore(CommandContext ctx) {
        run(ctx, ctx.arg(1), 2, Op.DIFF, false);
    }

    private static void run(CommandContext ctx, byte[] dst, int numkeysIdx, Op op, boolean cardinalityOnly) {
        int argc = ctx.argc();
        long setnum = ctx.argLong(numkeysIdx);
        if (setnum < 1) {
            throw new CommandException("ERR at least 1 input key is needed for '" + ctx.command().name() + "' command");
        }
        if (setnum > argc - (numkeysIdx + 1)) {
            throw Errors.syntax();
        }
        int n = (int) setnum;
        Database db = ctx.db();
        SetOpInput[] inputs = new SetOpInput[n];
        int j = numkeysIdx + 1;
        for (int i = 0; i < n; i++, j++) {
            inputs[i] = SetOpInput.read(db, ctx.arg(j));
        }

        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int remaining = argc - j;
        while (remaining > 0) {
            byte[] opt = ctx.arg(j);
            if (op != Op.DIFF && !cardinalityOnly && remaining >= n + 1 && Bytes.is(opt, "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    inputs[i].weight = Args.strictDouble(ctx.arg(j), WEIGHT_NOT_FLOAT);
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && Bytes.is(opt, "aggregate")) {
                byte[] which = ctx.arg(j + 1);
                if (Bytes.is(which, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Bytes.is(which, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Bytes.is(which, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    throw Errors.syntax();
                }
                j += 2;
                remaining -= 2;
            } else if (dst == null && !cardinalityOnly && Bytes.is(opt, "withscores")) {
                withScores = true;
                j++;
                remaining--;
            } else if (cardinalityOnly && remaining >= 2 && Bytes.is(opt, "limit")) {
                limit = Args.positiveLong(ctx, j + 1, LIMIT_NEGATIVE);
                j += 2;
                remaining -= 2;
            } else {
                throw Errors.syntax();
            }
        }

        if (op != Op.DIFF) {
            // smallest first (a stable sort, like Redis's), which makes the intersection cheap
            Arrays.sort(inputs, Comparator.comparingLong(SetOpInput::length));
        }
        if (cardinalityOnly) {
            ctx.reply().integer(intersectionSize(inputs, limit));
            return;
        }
        SortedEntries result = switch (op) {
            case UNION -> union(inputs, aggregate);
            case INTER -> intersection(inputs, aggregate);
            case DIFF -> difference(inputs);
        };
        result.sort();
        if (dst != null) {
            String event = switch (op) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                case DIFF -> "zdiffstore";
            };
            Changes.store(ctx, dst, result.size() == 0 ? null : result.toValue(ListpackLimits.of(ctx.config())), event);
            return;
        }
        Reply r = ctx.reply();
        Replies.header(r, result.size(), withScores);
        EntryVisitor out = Replies.entries(r, withScores);
        for (int i = 0; i < result.size(); i++) {
            byte[] m = result.member(i);
            out.visit(m, 0, m.length, result.score(i));
        }
    }

    private static double weighted(double score, double weight) {
        double v = score * weight;
        // 0 * inf is NaN; Redis counts such a product as 0
        return Double.isNaN(v) ? 0.0 : v;
    }

    private static SortedEntries union(SetOpInput[] inputs, Aggregate aggregate) {
        Dict<double[]> accumulator = new Dict<>();
        accumulator.expand(inputs[inputs.length - 1].length());
        for (SetOpInput in : inputs) {
            in.forEach((member, score) -> {
                double v = weighted(score, in.weight);
                Dict.Entry<double[]> e = accumulator.addOrFind(member);
                if (e.value == null) {
                    e.value = new double[] {v};
                } else {
                    e.value[0] = aggregate.apply(e.value[0], v);
                }
            });
        }
        SortedEntries out = new SortedEntries((int) Math.min(accumulator.size(), 1 << 16));
        accumulator.forEach(e -> out.add(e.key, e.value[0]));
        return out;
    }

    private static SortedEntries intersection(SetOpInput[] inputs, Aggregate aggregate) {
        SortedEntries out = new SortedEntries(16);
        SetOpInput first = inputs[0];
        first.forEach((member, score) -> {
            double total = weighted(score, first.weight);
            for (int i = 1; i < inputs.length; i++) {
                double s = inputs[i].sameValueAs(first) ? score : inputs[i].score(member);
                if (Double.isNaN(s)) {
                    return;
                }
                total = aggregate.apply(total, s * inputs[i].weight);
            }
            out.add(member, total);
        });
        return out;
    }

    /** Counts members present in every input, stopping at {@code limit} (0 = no limit). */
    private static long intersectionSize(SetOpInput[] inputs, long limit) {
        long[] count = {0};
        SetOpInput first = inputs[0];
        if (first.length() == 0) {
            return 0;
        }
        // a sink cannot stop the walk early, so it skips the work once the limit is reached
        first.forEach((member, score) -> {
            if (limit > 0 && count[0] >= limit) {
                return;
            }
            for (int i = 1; i < inputs.length; i++) {
                if (!inputs[i].sameValueAs(first) && Double.isNaN(inputs[i].score(member))) {
                    return;
                }
            }
            count[0]++;
        });
        return count[0];
    }

    private static SortedEntries difference(SetOpInput[] inputs) {
        SortedEntries out = new SortedEntries(16);
        SetOpInput first = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            if (inputs[i].sameValueAs(first)) {
                return out;
            }
        }
        first.forEach((member, score) -> {
            for (int i = 1; i < inputs.length; i++) {
                if (!Double.isNaN(inputs[i].score(member))) {
                    return;
                }
            }
            out.add(member, score);
        });
        return out;
    }
}
