package io.shardgate.protocol.memcache;

import io.shardgate.protocol.ClientRequest;

/** A memcached request as the decoder emits it: a classic text command or a meta command. */
sealed interface MemcacheRequest extends ClientRequest permits McRequest, MetaRequest {}
