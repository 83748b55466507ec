package io.modis.api;

/** Glob matching with Redis's semantics, including its recursion limit on '*'. */
final class Glob {
    private static final int MAX_NESTING = 1000;

    private Glob() {
    }

    static boolean match(byte[] p, int pi, int pend, byte[] s, int si, int send, boolean nocase, int nesting) {
        return match(p, pi, pend, s, si, send, nocase, nesting, new boolean[1]);
    }

    /**
     * {@code giveUp} is set once the rest of the pattern after a '*' matched nowhere: then no
     * earlier '*' can help either, which keeps patterns like "a*a*a*a*b" linear, not exponential.
     */
    private static boolean match(byte[] p, int pi, int pend, byte[] s, int si, int send, boolean nocase, int nesting,
                                 boolean[] giveUp) {
        if (nesting > MAX_NESTING) {
            return false;
        }
        while (pi < pend && si < send) {
            switch (p[pi]) {
                case '*': {
                    while (pi + 1 < pend && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == pend) {
                        return true;
                    }
                    for (int k = si; k < send; k++) {
                        if (match(p, pi + 1, pend, s, k, send, nocase, nesting + 1, giveUp)) {
                            return true;
                        }
                        if (giveUp[0]) {
                            return false;
                        }
                    }
                    giveUp[0] = true;
                    return false;
                }
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    boolean not = pi < pend && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi < pend && p[pi] == '\\' && pi + 1 < pend) {
                            pi++;
                            if (p[pi] == s[si]) {
                                matched = true;
                            }
                        } else if (pi >= pend) {
                            pi--;
                            break;
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < pend && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = Character.toLowerCase(start);
                                end = Character.toLowerCase(end);
                                c = Character.toLowerCase(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else if (nocase ? lower(p[pi]) == lower(s[si]) : p[pi] == s[si]) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pend - pi >= 2) {
                        pi++;
                    }
                    // fall through
                default:
                    if (nocase ? lower(p[pi]) != lower(s[si]) : p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == send) {
                while (pi < pend && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == pend && si == send;
    }

    private static int lower(byte b) {
        int x = b & 0xff;
        return x >= 'A' && x <= 'Z' ? x + 32 : x;
    }
}
