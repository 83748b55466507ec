package io.modis.core;

import io.modis.api.Reply;

/** The reply writer of a client that asked for no replies (CLIENT REPLY OFF / SKIP). */
final class DiscardingReply implements Reply {
    private final Reply real;
    private long errors;
    private String lastError;

    DiscardingReply(Reply real) {
        this.real = real;
        this.errors = real.errors();
    }

    @Override
    public int protocol() {
        return real.protocol();
    }

    @Override
    public void simple(String s) {
    }

    @Override
    public void error(String message) {
        errors++;
        lastError = message;
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
