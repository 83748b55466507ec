package io.modis.examples.template;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.Value;
import java.nio.charset.StandardCharsets;

/**
 * The data type: a 64-bit counter. A module-style type has a 9-character module name and an
 * encoding version, as Redis module types do; RDB files and DUMP payloads carry both, and
 * {@link #restore} must read every version it ever wrote.
 *
 * <p>{@link #serialize} and {@link #restore} are also what carries the values across a hot
 * swap: when this bundle stops, the core serializes every counter with this class; when a new
 * version starts, its {@code restore} revives them.
 */
public final class CounterType implements DataType {
    /** The one instance every value's {@code type()} returns: the core compares types by identity. */
    public static final CounterType INSTANCE = new CounterType();
    static final int ENCODING_VERSION = 1;

    private CounterType() {
    }

    /** What TYPE answers. */
    @Override
    public String name() {
        return "tmplcount";
    }

    @Override
    public int rdbType() {
        return -1;
    }

    @Override
    public String moduleName() {
        return "tmplcount";
    }

    @Override
    public int encodingVersion() {
        return ENCODING_VERSION;
    }

    @Override
    public byte[] serialize(Value value) {
        byte[] digits = Bytes.fromLong(((Counter) value).get());
        RdbOutput out = new RdbOutput(24);
        out.writeString(digits, 0, digits.length);
        return out.toByteArray();
    }

    /** Refuses what it cannot read with IllegalArgumentException (a corrupt or hostile payload). */
    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        if (encodingVersion > ENCODING_VERSION) {
            throw new IllegalArgumentException("counter encoding version " + encodingVersion + " is newer than this module");
        }
        RdbInput in = new RdbInput(payload);
        String digits = new String(in.readString(), StandardCharsets.US_ASCII);
        if (!in.atEnd()) {
            throw new IllegalArgumentException("bytes after the counter");
        }
        try {
            return new Counter(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a counter that is not a number");
        }
    }
}
