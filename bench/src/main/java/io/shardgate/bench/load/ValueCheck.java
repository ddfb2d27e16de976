package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * Checks one value of a reply as its bytes arrive, piece by piece, so a large value is never buffered. A parser
 * owns one instance and checks one value at a time: {@link #begin}, {@link #feed} for each piece, {@link #end}.
 * The value's length has been checked by then.
 */
public abstract class ValueCheck {
    final ValueSpec values;

    ValueCheck(ValueSpec values) {
        this.values = values;
    }

    /** Values of the spec's one version: every key always holds the same bytes (a benchmark's data). */
    public static ValueCheck fixed(ValueSpec values) {
        return new Fixed(values);
    }

    /**
     * Values of any version written to the key: the version is read from the value's header, must have been
     * written and must not be older than what the get saw acknowledged when it was sent.
     */
    public static ValueCheck versioned(ValueSpec values, KeyVersions versions) {
        if (values.size() < ValueSpec.HEADER_LENGTH) {
            throw new IllegalArgumentException("versioned values need at least " + ValueSpec.HEADER_LENGTH + " bytes");
        }
        return new Versioned(values, versions);
    }

    /** A new value of requested key {@code key}, at {@code position} in request {@code r}. */
    abstract void begin(Request r, int position, int key);

    abstract void feed(ByteBuf in, int index, int length);

    /** The value is complete: null when it verified, else why not. */
    abstract ErrorKind end();

    private static final class Fixed extends ValueCheck {
        private final byte[] header = new byte[ValueSpec.HEADER_LENGTH];
        private int key;
        private int position;
        private boolean matches;

        Fixed(ValueSpec values) {
            super(values);
        }

        @Override
        void begin(Request r, int at, int key) {
            this.key = key;
            this.position = 0;
            this.matches = true;
            values.header(key, header);
        }

        @Override
        void feed(ByteBuf in, int index, int length) {
            if (matches) matches = values.matches(key, header, position, in, index, length);
            position += length;
        }

        @Override
        ErrorKind end() {
            return matches ? null : ErrorKind.WRONG_VALUE;
        }
    }

    private static final class Versioned extends ValueCheck {
        private final KeyVersions versions;
        private final byte[] header = new byte[ValueSpec.HEADER_LENGTH];
        private Request request;
        private int at;
        private int key;
        private int version;
        private int position;
        private ErrorKind problem;

        Versioned(ValueSpec values, KeyVersions versions) {
            super(values);
            this.versions = versions;
        }

        @Override
        void begin(Request r, int at, int key) {
            this.request = r;
            this.at = at;
            this.key = key;
            this.position = 0;
            this.problem = null;
        }

        @Override
        void feed(ByteBuf in, int index, int length) {
            while (length > 0 && position < ValueSpec.HEADER_LENGTH && problem == null) {
                header[position++] = in.getByte(index++);
                length--;
                if (position == ValueSpec.HEADER_LENGTH) checkHeader();
            }
            if (length > 0 && problem == null && !values.matches(key, version, header, position, in, index, length)) {
                problem = ErrorKind.WRONG_VALUE;
            }
            position += length;
        }

        private void checkHeader() {
            long parsed = ValueSpec.parseHeader(header);
            if (parsed < 0 || (int) (parsed >>> 32) != key) {
                problem = ErrorKind.WRONG_VALUE; // another key's value, or not one of ours at all
                return;
            }
            version = (int) (parsed & 0xffff);
            if (!versions.written(key, version)) problem = ErrorKind.UNWRITTEN_VERSION;
            else if (!versions.fresh(key, version, request.floors[at])) problem = ErrorKind.STALE_VALUE;
        }

        @Override
        ErrorKind end() {
            request = null;
            return problem;
        }
    }
}
