package io.modis.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ACL file (aclfile): "user name rules..." lines. Loading is all or nothing; saving writes a
 * temporary file and renames it over the old one. Both run on the engine thread, as in Redis:
 * the file is small and only ACL LOAD / SAVE touch it.
 */
final class AclFile {
    private AclFile() {
    }

    /** Relative paths are relative to "dir" (the JVM cannot chdir; the core records dir). */
    static Path resolve(String name) {
        Path p = Path.of(name);
        String dir = System.getProperty("modis.dir");
        return p.isAbsolute() || dir == null ? p : Path.of(dir).resolve(p);
    }

    /** Loads {@code name} into {@code acl}; returns null, or the errors (then nothing changed). */
    static String load(Acl acl, String name) {
        String text;
        try {
            text = Files.readString(resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "Error loading ACLs, opening file '" + name + "': No such file or directory";
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + name + "': " + e.getMessage();
        }
        StringBuilder errors = new StringBuilder();
        Map<String, User> loaded = new HashMap<>();
        String[] lines = text.split("\n", -1);
        Commands commands = acl.commandIndex();
        for (int i = 0; i < lines.length; i++) {
            int lineNum = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> words = List.of(line.split(" +"));
            if (!words.get(0).equals("user") || words.size() < 2) {
                errors.append(name).append(':').append(lineNum)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String userName = words.get(1);
            if (Selector.hasSpaces(userName, 0)) {
                errors.append("'").append(name).append(':').append(lineNum).append(": username '").append(userName)
                        .append("' contains invalid characters. ");
                continue;
            }
            if (loaded.containsKey(userName)) {
                errors.append("WARNING: Duplicate user '").append(userName).append("' found on line ")
                        .append(lineNum).append(". ");
                continue;
            }
            User u = new User(userName, acl.pubsubAll());
            loaded.put(userName, u);
            List<String> rules;
            try {
                rules = Rules.mergeSelectors(words.subList(2, words.size()));
            } catch (AclException e) {
                errors.append(name).append(':').append(lineNum).append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (String rule : rules) {
                try {
                    u.apply(commands, rule.strip(), acl.pubsubAll());
                } catch (AclException e) {
                    if (e.getMessage().equals(AclException.UNKNOWN)) {
                        errors.append(name).append(':').append(lineNum).append(": Error in applying operation '")
                                .append(rule).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(name).append(':').append(lineNum).append(": ").append(e.getMessage())
                                .append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (errors.length() > 0) {
            return errors + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed";
        }
        if (!loaded.containsKey("default")) {
            loaded.put("default", acl.newDefaultUser());
        }
        acl.replaceAll(loaded);
        return null;
    }

    /** Writes every user; false (after logging why) when the file cannot be written. */
    static boolean save(Acl acl, String name) {
        StringBuilder sb = new StringBuilder();
        for (User u : acl.sortedUsers()) {
            sb.append("user ").append(u.name).append(' ').append(u.describe(acl.commandIndex())).append('\n');
        }
        Path target = resolve(name);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis());
        try {
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            acl.host().log().warning("Writing ACL file for ACL SAVE: " + e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }
}
