package org.osprey.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osprey.delivery.dkim.DkimKey;
import org.osprey.delivery.dkim.DkimKeys;
import org.osprey.delivery.dkim.DkimSigner;
import org.osprey.smtp.MessageSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submission's DKIM step: messages whose From: domain has keys under data_dir/dkim are signed with them (RSA, then
 * Ed25519 when there is such a key). Keys are read from disk at most once a minute per domain, so a key made with
 * {@code osprey dkim generate} is used without a restart and signing costs no file reads per message.
 */
final class DkimMessageSigner implements MessageSigner {
    private static final Logger log = LoggerFactory.getLogger(DkimMessageSigner.class);
    private static final long RELOAD_MILLIS = 60_000;

    private record Loaded(List<DkimKey> keys, long at) {
    }

    private final DkimKeys keys;
    private final DkimSigner signer;
    private final Clock clock;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    DkimMessageSigner(DkimKeys keys, Clock clock) {
        this.keys = keys;
        this.signer = new DkimSigner(clock);
        this.clock = clock;
    }

    @Override
    public List<String> sign(String fromDomain, InputStream message) throws IOException {
        List<DkimKey> domainKeys = keysOf(fromDomain);
        return domainKeys.isEmpty() ? List.of() : signer.sign(message, domainKeys);
    }

    private List<DkimKey> keysOf(String domain) {
        long now = clock.millis();
        Loaded loaded = cache.get(domain);
        if (loaded == null || now - loaded.at() > RELOAD_MILLIS) {
            List<DkimKey> found;
            try {
                found = keys.signingKeys(domain);
            } catch (IOException e) {
                log.warn("cannot read the DKIM keys of {}: {}; sending unsigned", domain, e.getMessage());
                found = List.of();
            }
            loaded = new Loaded(found, now);
            if (cache.size() > 10_000) {
                cache.clear(); // From domains are the users' own; this bound is only against surprises
            }
            cache.put(domain, loaded);
        }
        return loaded.keys();
    }
}
