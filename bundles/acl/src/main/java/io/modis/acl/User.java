package io.modis.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** An ACL user: flags, password hashes (SHA-256, hex) and selectors, the root one first. */
final class User {
    final String name;
    boolean enabled;
    boolean nopass;
    /** null: neither sanitize-payload nor skip-sanitize-payload was given. */
    Boolean sanitizePayload;
    final List<String> passwords = new ArrayList<>();
    final List<Selector> selectors = new ArrayList<>();
    /** Root selector may run everything on any key and channel: checks return at once. */
    boolean unrestricted;

    User(String name, boolean pubsubAllChannels) {
        this.name = name;
        selectors.add(new Selector(pubsubAllChannels));
    }

    Selector root() {
        return selectors.get(0);
    }

    /** A detached copy (rules are applied to a copy, which replaces the user only if all succeed). */
    User copy(String newName) {
        User u = new User(newName, false);
        u.enabled = enabled;
        u.nopass = nopass;
        u.sanitizePayload = sanitizePayload;
        u.passwords.addAll(passwords);
        u.selectors.clear();
        for (Selector s : selectors) {
            u.selectors.add(s.copy());
        }
        u.refresh();
        return u;
    }

    void refresh() {
        Selector r = root();
        unrestricted = r.allCommands && r.allKeys && r.allChannels;
    }

    /** Applies one rule (Redis's ACLSetUser); {@code pubsubAll}: acl-pubsub-default is allchannels. */
    void apply(Commands commands, String op, boolean pubsubAll) {
        try {
            applyRule(commands, op, pubsubAll);
        } finally {
            refresh();
        }
    }

    private void applyRule(Commands commands, String op, boolean pubsubAll) {
        if (op.isEmpty()) {
            return;
        }
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "skip-sanitize-payload" -> sanitizePayload = false;
            case "sanitize-payload" -> sanitizePayload = true;
            case "nopass" -> {
                nopass = true;
                passwords.clear();
            }
            case "resetpass" -> {
                nopass = false;
                passwords.clear();
            }
            case "clearselectors" -> {
                Selector r = root();
                selectors.clear();
                selectors.add(r);
            }
            case "reset" -> {
                applyRule(commands, "resetpass", pubsubAll);
                root().apply(commands, "resetkeys");
                root().apply(commands, "resetchannels");
                if (pubsubAll) {
                    root().apply(commands, "allchannels");
                }
                enabled = false;
                sanitizePayload = true;
                applyRule(commands, "clearselectors", pubsubAll);
                root().apply(commands, "-@all");
            }
            default -> applyOther(commands, op, pubsubAll);
        }
    }

    private void applyOther(Commands commands, String op, boolean pubsubAll) {
        char first = op.charAt(0);
        if (first == '>' || first == '#') {
            String hash = first == '>' ? hash(op.substring(1).getBytes(StandardCharsets.UTF_8)) : checkHash(op);
            if (!passwords.contains(hash)) {
                passwords.add(hash);
            }
            nopass = false;
        } else if (first == '<' || first == '!') {
            String hash = first == '<' ? hash(op.substring(1).getBytes(StandardCharsets.UTF_8)) : checkHash(op);
            if (!passwords.remove(hash)) {
                throw new AclException(AclException.NO_SUCH_PASSWORD);
            }
        } else if (first == '(' && op.endsWith(")")) {
            Selector s = new Selector(pubsubAll);
            for (String rule : Rules.split(op.substring(1, op.length() - 1))) {
                s.apply(commands, rule);
            }
            selectors.add(s);
        } else {
            root().apply(commands, op);
        }
    }

    private static String checkHash(String op) {
        String h = op.substring(1);
        if (h.length() != 64) {
            throw new AclException(AclException.BAD_HASH);
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) {
                throw new AclException(AclException.BAD_HASH);
            }
        }
        return h;
    }

    static String hash(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code password} opens this enabled user. */
    boolean accepts(byte[] password) {
        if (!enabled) {
            return false;
        }
        if (nopass) {
            return true;
        }
        byte[] given = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String p : passwords) {
            ok |= MessageDigest.isEqual(given, p.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    List<String> flags() {
        List<String> f = new ArrayList<>();
        f.add(enabled ? "on" : "off");
        if (nopass) {
            f.add("nopass");
        }
        if (sanitizePayload != null) {
            f.add(sanitizePayload ? "sanitize-payload" : "skip-sanitize-payload");
        }
        return f;
    }

    /** The user as ACL LIST and the ACL file write it (after "user name "). */
    String describe(Commands commands) {
        StringBuilder sb = new StringBuilder();
        for (String f : flags()) {
            sb.append(f).append(' ');
        }
        for (String p : passwords) {
            sb.append('#').append(p).append(' ');
        }
        sb.append(root().describe(commands));
        for (int i = 1; i < selectors.size(); i++) {
            sb.append(" (").append(selectors.get(i).describe(commands)).append(')');
        }
        return sb.toString();
    }
}
