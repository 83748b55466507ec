package io.modis.acl;

import java.util.ArrayList;
import java.util.List;

/** Splitting rule lists: selector arguments "(...)" spread over words, and a selector's inside. */
final class Rules {
    private Rules() {
    }

    /**
     * Joins the words of selectors written across several arguments ("(+get", "~key)") into one
     * rule each; throws with Redis's message naming where an unclosed selector starts.
     */
    static List<String> mergeSelectors(List<String> args) {
        List<String> out = new ArrayList<>();
        StringBuilder open = null;
        String openedAt = null;
        for (String op : args) {
            if (open == null && op.startsWith("(") && !op.endsWith(")")) {
                open = new StringBuilder(op);
                openedAt = op;
                continue;
            }
            if (open != null) {
                open.append(' ').append(op);
                if (op.endsWith(")")) {
                    out.add(open.toString());
                    open = null;
                }
                continue;
            }
            out.add(op);
        }
        if (open != null) {
            throw new AclException("Unmatched parenthesis in acl selector starting at '" + openedAt + "'.");
        }
        return out;
    }

    /** The rules inside a selector, split on white space (quotes group words as in redis.conf). */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        w.append(c);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (Character.isWhitespace(c)) {
                    break;
                } else {
                    w.append(c);
                }
                i++;
            }
            out.add(w.toString());
        }
        return out;
    }
}
