package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;

/**
 * One validated meta command ({@code mg}, {@code ms}, {@code md}, {@code ma}, {@code me}). {@code frame} is a
 * retained slice of exactly what the client sent (request line, plus the data block of an {@code ms}); offsets
 * are into the frame. How the {@code q} flag is honoured is decided here once, so dispatch only acts on it.
 */
final class MetaRequest implements MemcacheRequest {
    enum Command { MG, MS, MD, MA, ME }

    /**
     * What the proxy does for a quiet ({@code q}) request. memcached would leave some replies out, which a
     * shared backend connection can't allow (replies are matched to requests by order), so the proxy forwards
     * the request without {@code q} and drops those replies itself; errors always reach the client.
     */
    enum Quiet {
        /** Not quiet: every reply goes to the client. */
        NONE,
        /** mg: a miss ({@code EN}) is not sent. */
        DROP_MISS,
        /** ms, md: success ({@code HD}) is not sent. */
        DROP_HD,
        /** ma: success ({@code HD}, or {@code VA} with its value) is not sent. */
        DROP_HD_OR_VA,
        /**
         * ma with {@code N}: an item created on a miss is answered like a success ({@code HD}/{@code VA}) but
         * memcached still sends it, so the reply alone doesn't tell what to drop. The request goes as sent,
         * {@code q} included, between two {@code mn}; the backend's {@code MN ... MN} holds exactly what
         * memcached chose to send, and the proxy passes on what is between the markers.
         */
        BRACKETED
    }

    final Command command;
    final ByteBuf frame;
    /** The request line with its terminator; an ms frame goes on with its data block. */
    final int lineLength;
    final int keyOffset;
    final int keyLength;
    /** The key decoded from base64 ({@code b} flag), which is what is hashed; null for a plain key. */
    final byte[] binaryKey;
    /**
     * The decoded key when memcached may write it back raw inside the reply line ({@code mg} with {@code k},
     * {@code me} with {@code b}) and it holds a newline, so the reply framer must know it to find the line's end
     * ({@link McReplyFramer.RawKey}); else null.
     */
    final byte[] rawKeyInReply;
    final Quiet quiet;
    /** The q flag's token, to leave out of the forwarded line (offset -1 when there is none). */
    final int quietOffset;
    final int quietLength;

    @Override
    public void release() {
        frame.release();
    }

    MetaRequest(Command command, ByteBuf frame, int lineLength, int keyOffset, int keyLength, byte[] binaryKey,
            byte[] rawKeyInReply, Quiet quiet, int quietOffset, int quietLength) {
        this.command = command;
        this.frame = frame;
        this.lineLength = lineLength;
        this.keyOffset = keyOffset;
        this.keyLength = keyLength;
        this.binaryKey = binaryKey;
        this.rawKeyInReply = rawKeyInReply;
        this.quiet = quiet;
        this.quietOffset = quietOffset;
        this.quietLength = quietLength;
    }
}
