package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Digest;
import io.modis.api.Value;
import io.modis.api.dict.Dict;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST's SHA1 signature of the dataset, built as Redis builds it: every key's digest
 * (its name, its type, its contents, whether it has a TTL) is XORed into the result, so the
 * order of keys does not matter, while each database's index is mixed in so that the same
 * keys in another database give another digest. An empty dataset digests to all zeros.
 * Engine thread only.
 */
final class DatasetDigest {
    private static final byte[] EXPIRE_MARK = Bytes.of("!!expire!!");

    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    /** The digest of every database of {@code server}. */
    byte[] dataset(Server server) {
        byte[] result = new byte[20];
        for (int i = 0; i < server.databases(); i++) {
            Db db = server.db(i);
            if (db.size() == 0) {
                continue;
            }
            mix(result, new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            db.forEachEntry(e -> {
                byte[] keyDigest = new byte[20];
                mix(keyDigest, e.key);
                value(keyDigest, e);
                xor(result, keyDigest);
            });
        }
        return result;
    }

    /** DEBUG DIGEST-VALUE's digest of one entry's value (the key name not included). */
    byte[] value(Dict.Entry<Value> entry) {
        byte[] d = new byte[20];
        value(d, entry);
        return d;
    }

    private void value(byte[] d, Dict.Entry<Value> entry) {
        mix(d, Bytes.of(entry.value.type().name()));
        entry.value.digest(new Mixer(d));
        if (entry.expireAt >= 0) {
            xor(d, sha1(EXPIRE_MARK));
        }
    }

    static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder(40);
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private byte[] sha1(byte[] data) {
        sha1.reset();
        return sha1.digest(data);
    }

    private static void xor(byte[] into, byte[] other) {
        for (int i = 0; i < 20; i++) {
            into[i] ^= other[i];
        }
    }

    /** digest = SHA1(digest XOR SHA1(data)): order-preserving accumulation. */
    private void mix(byte[] digest, byte[] data) {
        xor(digest, sha1(data));
        byte[] next = sha1(digest);
        System.arraycopy(next, 0, digest, 0, 20);
    }

    /** What a value feeds its contents to. */
    private final class Mixer implements Digest {
        private final byte[] state;

        Mixer(byte[] state) {
            this.state = state;
        }

        @Override
        public void add(byte[] b) {
            mix(state, b);
        }

        @Override
        public void addUnordered(byte[]... element) {
            if (element.length == 1) {
                xor(state, sha1(element[0]));
                return;
            }
            byte[] e = new byte[20];
            for (byte[] part : element) {
                mix(e, part);
            }
            xor(state, e);
        }
    }
}
