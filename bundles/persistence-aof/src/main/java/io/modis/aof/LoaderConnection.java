package io.modis.aof;

import io.modis.api.Connection;
import io.modis.api.Reply;

/**
 * The connection of the session that replays the AOF: replies go nowhere, except that an
 * unknown command is remembered (the load must stop on it, as Redis's does).
 */
final class LoaderConnection implements Connection {
    String unknownCommand;
    private final Reply reply = new Sink();

    @Override
    public Reply reply() {
        return reply;
    }

    @Override
    public void protocol(int version) {
    }

    @Override
    public String remoteAddress() {
        return "aof:0";
    }

    @Override
    public String localAddress() {
        return "aof:0";
    }

    @Override
    public int fd() {
        return -1;
    }

    @Override
    public boolean unixSocket() {
        return false;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public void resume() {
    }

    @Override
    public int queryBufferSize() {
        return 0;
    }

    @Override
    public long outputBufferSize() {
        return 0;
    }

    private final class Sink implements Reply {
        private long errors;
        private String lastError;

        @Override
        public int protocol() {
            return 2;
        }

        @Override
        public void simple(String s) {
        }

        @Override
        public void error(String message) {
            errors++;
            lastError = message;
            if (message.startsWith("ERR unknown command '") && unknownCommand == null) {
                int end = message.indexOf('\'', 21);
                unknownCommand = end > 21 ? message.substring(21, end) : message;
            }
        }

        @Override
        public void integer(long v) {
        }

        @Override
        public void bulk(byte[] b) {
        }

        @Override
        public void bulk(byte[] b, int off, int len) {
        }

        @Override
        public void nil() {
        }

        @Override
        public void nilArray() {
        }

        @Override
        public void array(int n) {
        }

        @Override
        public void map(int n) {
        }

        @Override
        public void set(int n) {
        }

        @Override
        public void push(int n) {
        }

        @Override
        public void dbl(double d) {
        }

        @Override
        public void bool(boolean b) {
        }

        @Override
        public void verbatim(String format, byte[] text) {
        }

        @Override
        public void bigNumber(String digits) {
        }

        @Override
        public long errors() {
            return errors;
        }

        @Override
        public String lastError() {
            return lastError;
        }
    }
}
