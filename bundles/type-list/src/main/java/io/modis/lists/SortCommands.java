package io.modis.lists;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Fields;
import io.modis.api.KeyFinder;
import io.modis.api.KeySpec;
import io.modis.api.Members;
import io.modis.api.Reply;
import io.modis.api.StringValue;
import io.modis.api.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * SORT and SORT_RO (Redis's sort.c) over lists, sets and sorted sets. They live with the list
 * type because SORT ... STORE makes a list; the other types are read through the api's
 * {@link Members} and {@link Fields} views, so no bundle depends on another.
 */
@Component(service = CommandProvider.class)
public final class SortCommands implements CommandProvider {
    private static final String COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set to"
            + " sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
    private static final byte[] HASH_ARROW = Bytes.of("->");

    private final List<Command> commands = List.of(
            new Command(CommandSpec.of("sort", -2).group("generic").since("1.0.0").flags(WRITE, DENYOOM)
                    .acl("write", "set", "sortedset", "list", "slow", "dangerous")
                    .keys(1, 1, 1)
                    .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                    .keySpec(KeySpec.unknown("RO", "ACCESS"))
                    .keySpec(KeySpec.unknown("OW", "UPDATE"))
                    .keyFinder(argv -> keys(argv, false))
                    .summary("Sort the elements in a list, set or sorted set").complexity(COMPLEXITY).build(),
                    ctx -> sort(ctx, false)),
            new Command(CommandSpec.of("sort_ro", -2).group("generic").since("7.0.0").flags(READONLY)
                    .acl("read", "set", "sortedset", "list", "slow", "dangerous")
                    .keys(1, 1, 1)
                    .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                    .keySpec(KeySpec.unknown("RO", "ACCESS"))
                    .keyFinder(argv -> keys(argv, true))
                    .summary("Sort the elements in a list, set or sorted set. Read-only variant of SORT.")
                    .complexity(COMPLEXITY).build(),
                    ctx -> sort(ctx, true)));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /**
     * The sorted key, and for SORT the last STORE destination (sortGetKeys): options are skipped
     * by their argument counts so a STORE that is an option's value is not taken for the keyword.
     */
    static List<KeyFinder.Key> keys(byte[][] argv, boolean readonly) {
        List<KeyFinder.Key> keys = new ArrayList<>(2);
        keys.add(new KeyFinder.Key(1, 0));
        if (readonly) {
            return keys;
        }
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            String word = Bytes.lower(argv[i]);
            int skip = switch (word) {
                case "limit" -> 2;
                case "get", "by" -> 1;
                case "store" -> {
                    if (i + 1 < argv.length) {
                        store = i + 1;
                    }
                    yield 1;
                }
                default -> 0;
            };
            i += skip;
        }
        if (store > 0) {
            keys.add(new KeyFinder.Key(store, 2));
        }
        return keys;
    }

    /** The options of one call, parsed before anything is read. */
    private static final class Options {
        boolean desc;
        boolean alpha;
        long limitStart;
        long limitCount = -1;
        byte[] by;
        boolean dontSort;
        byte[] store;
        final List<byte[]> gets = new ArrayList<>();
    }

    private static void sort(CommandContext ctx, boolean readonly) {
        Options o = parse(ctx, readonly);
        Database db = ctx.db();
        Value source = db.get(ctx.arg(1));
        List<byte[]> elements;
        String type;
        if (source == null) {
            elements = new ArrayList<>();
            type = "list";
        } else {
            type = source.type().name();
            if (!(source instanceof Members members)
                    || !(type.equals("list") || type.equals("set") || type.equals("zset"))) {
                throw Errors.wrongType();
            }
            elements = new ArrayList<>((int) Math.min(members.length(), Integer.MAX_VALUE));
            members.forEachMember(elements::add);
        }
        // A set's order is arbitrary: where the result must be reproducible (stored, or run
        // from a script and so replicated), it is sorted lexicographically instead.
        if (o.dontSort && type.equals("set") && (o.store != null || ctx.client().inScript())) {
            o.dontSort = false;
            o.alpha = true;
            o.by = null;
        }

        int len = elements.size();
        long start = Math.min(Math.max(o.limitStart, 0), len);
        long count = Math.min(Math.max(o.limitCount, -1), len);
        long end = count < 0 ? len - 1 : start + count - 1;
        if (start >= len) {
            start = len - 1;
            end = len - 2;
        }
        if (end >= len) {
            end = len - 1;
        }

        if (o.dontSort) {
            // lists and sorted sets keep their own order, read from the tail for DESC
            if (o.desc && !type.equals("set")) {
                Collections.reverse(elements);
            }
        } else {
            sortElements(db, elements, o);
        }

        int from = (int) start;
        int to = (int) end;
        int outputLen = to < from ? 0 : (o.gets.isEmpty() ? 1 : o.gets.size()) * (to - from + 1);
        if (o.store == null) {
            reply(ctx.reply(), db, elements, from, to, o.gets, outputLen);
        } else {
            store(ctx, db, elements, from, to, o, outputLen);
        }
    }

    private static Options parse(CommandContext ctx, boolean readonly) {
        Options o = new Options();
        int argc = ctx.argc();
        boolean cluster = "yes".equals(ctx.config().get("cluster-enabled"));
        for (int j = 2; j < argc; j++) {
            int left = argc - j - 1;
            byte[] a = ctx.arg(j);
            if (Bytes.is(a, "asc")) {
                o.desc = false;
            } else if (Bytes.is(a, "desc")) {
                o.desc = true;
            } else if (Bytes.is(a, "alpha")) {
                o.alpha = true;
            } else if (Bytes.is(a, "limit") && left >= 2) {
                o.limitStart = ctx.argLong(j + 1);
                o.limitCount = ctx.argLong(j + 2);
                j += 2;
            } else if (!readonly && Bytes.is(a, "store") && left >= 1) {
                o.store = ctx.arg(++j);
            } else if (Bytes.is(a, "by") && left >= 1) {
                o.by = ctx.arg(++j);
                if (indexOf(o.by, (byte) '*', 0) < 0) {
                    o.dontSort = true;
                } else if (cluster) {
                    throw new CommandException("ERR BY option of SORT denied in Cluster mode.");
                } else if (!ctx.mayReadAnyKey()) {
                    throw new CommandException("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
            } else if (Bytes.is(a, "get") && left >= 1) {
                if (cluster) {
                    throw new CommandException("ERR GET option of SORT denied in Cluster mode.");
                }
                if (!ctx.mayReadAnyKey()) {
                    throw new CommandException("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                o.gets.add(ctx.arg(++j));
            } else {
                throw Errors.syntax();
            }
        }
        return o;
    }

    /** One element with what it is compared by. */
    private record Item(byte[] element, double score, byte[] by) {
    }

    private static void sortElements(Database db, List<byte[]> elements, Options o) {
        List<Item> items = new ArrayList<>(elements.size());
        boolean badScore = false;
        for (byte[] e : elements) {
            double score = 0;
            byte[] by = null;
            byte[] weight = o.by == null ? e : lookup(db, o.by, e);
            if (weight != null) {
                if (o.alpha) {
                    by = o.by == null ? null : weight;
                } else {
                    try {
                        score = strtod(weight);
                    } catch (NumberFormatException ex) {
                        badScore = true;
                    }
                }
            }
            items.add(new Item(e, score, by));
        }
        if (badScore) {
            throw new CommandException("ERR One or more scores can't be converted into double");
        }
        Comparator<Item> order;
        if (!o.alpha) {
            order = Comparator.<Item>comparingDouble(Item::score)
                    .thenComparing(Item::element, Arrays::compareUnsigned);
        } else if (o.by != null) {
            // elements whose BY key is missing sort first
            order = Comparator.comparing(Item::by, Comparator.nullsFirst(Arrays::compareUnsigned));
        } else {
            order = Comparator.comparing(Item::element, Arrays::compareUnsigned);
        }
        items.sort(o.desc ? order.reversed() : order);
        for (int i = 0; i < items.size(); i++) {
            elements.set(i, items.get(i).element());
        }
    }

    private static void reply(Reply r, Database db, List<byte[]> elements, int from, int to, List<byte[]> gets,
                              int outputLen) {
        r.array(outputLen);
        for (int j = from; j <= to; j++) {
            byte[] e = elements.get(j);
            if (gets.isEmpty()) {
                r.bulk(e);
            }
            for (byte[] pattern : gets) {
                byte[] v = lookup(db, pattern, e);
                if (v == null) {
                    r.nil();
                } else {
                    r.bulk(v);
                }
            }
        }
    }

    private static void store(CommandContext ctx, Database db, List<byte[]> elements, int from, int to, Options o,
                              int outputLen) {
        List<byte[]> out = new ArrayList<>(outputLen);
        for (int j = from; j <= to; j++) {
            byte[] e = elements.get(j);
            if (o.gets.isEmpty()) {
                out.add(e);
            }
            for (byte[] pattern : o.gets) {
                byte[] v = lookup(db, pattern, e);
                out.add(v == null ? new byte[0] : v);
            }
        }
        if (outputLen > 0) {
            db.set(o.store, ListValue.of(out));
            ctx.touched(db, o.store);
            ctx.notify('l', "sortstore", o.store, db);
            ctx.dirty(outputLen);
        } else if (db.delete(o.store)) {
            ctx.touched(db, o.store);
            ctx.notify('g', "del", o.store, db);
            ctx.dirty(1);
        }
        ctx.reply().integer(outputLen);
    }

    /**
     * What a BY or GET pattern names for {@code element}: "#" is the element itself; otherwise
     * the first '*' is replaced by the element, and a "->field" after it reads that hash field.
     * Null when the pattern has no '*', the key is missing, or it holds another type.
     */
    static byte[] lookup(Database db, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = indexOf(pattern, HASH_ARROW, star + 1);
        boolean hashField = arrow >= 0 && arrow + 2 < pattern.length;
        int keyEnd = hashField ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Value v = db.get(key);
        if (v == null) {
            return null;
        }
        if (hashField) {
            if (!(v instanceof Fields fields) || !v.type().name().equals("hash")) {
                return null;
            }
            return fields.field(Arrays.copyOfRange(pattern, arrow + 2, pattern.length));
        }
        return v instanceof StringValue s ? s.bytes() : null;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte[] sub, int from) {
        outer:
        for (int i = from; i <= b.length - sub.length; i++) {
            for (int k = 0; k < sub.length; k++) {
                if (b[i + k] != sub[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A weight as C's strtod reads it when the whole string must be consumed: leading blanks,
     * decimal or "inf"/"infinity"; the empty string is 0. Out-of-range values and NaN are
     * refused, as SORT refuses them.
     */
    static double strtod(byte[] s) {
        int i = 0;
        while (i < s.length && isSpace(s[i])) {
            i++;
        }
        if (i == s.length) {
            if (s.length == 0) {
                return 0;
            }
            throw new NumberFormatException("blank");
        }
        String text = new String(s, i, s.length - i, java.nio.charset.StandardCharsets.ISO_8859_1);
        String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!isDecimal(body)) {
            throw new NumberFormatException(text);
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d) || (d == 0 && hasNonZeroDigit(body))) {
            throw new NumberFormatException("out of range");
        }
        return d;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** digits [. digits] [e [sign] digits], with at least one digit before the exponent. */
    private static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean hasNonZeroDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
