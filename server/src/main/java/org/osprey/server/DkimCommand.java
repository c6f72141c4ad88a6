package org.osprey.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import org.osprey.delivery.dkim.DkimAlgorithm;
import org.osprey.delivery.dkim.DkimKey;
import org.osprey.delivery.dkim.DkimKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code osprey dkim generate|show}: the DKIM keys under data_dir/dkim and the DNS records to publish for them.
 * Records are printed as zone-file lines with the explanations as ";" comments, so the output can be pasted into a
 * zone file whole. Works on files only: no database, and safe while the server runs (it reads the keys per message).
 */
@Command(name = "dkim", description = "Make DKIM signing keys and show the DNS records to publish for them.",
        mixinStandardHelpOptions = true)
final class DkimCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "generate", description = "Make a signing key for a domain and print its DNS record."
            + " An existing key is never replaced.")
    int generate(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN") String domain,
                 @Option(names = "--algorithm", paramLabel = "rsa|ed25519", defaultValue = "rsa",
                         description = "rsa (2048 bits, the default; every receiver checks it) or ed25519"
                                 + " (RFC 8463; add it beside an RSA key, not instead of one).")
                 DkimAlgorithm algorithm,
                 @Option(names = "--selector", paramLabel = "NAME",
                         description = "The selector, i.e. the DNS name NAME._domainkey.DOMAIN (default: osprey"
                                 + " for rsa, osprey-ed25519 for ed25519).")
                 String selector) throws CliException {
        var keys = new DkimKeys(config.load().dataDir());
        String chosen = selector == null ? algorithm.defaultSelector() : selector;
        DkimKey key;
        try {
            key = keys.generate(domain, chosen, algorithm);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        } catch (FileAlreadyExistsException e) {
            throw new CliException("selector " + printable(chosen) + " of " + printable(domain) + " has a key already: "
                    + e.getFile() + " (choose another --selector, or delete that file first)");
        } catch (IOException e) {
            throw new CliException("cannot write the DKIM key: " + e.getMessage());
        }
        String signingSelector = key.selector();
        try {
            for (DkimKey k : keys.signingKeys(key.domain())) {
                if (k.algorithm() == algorithm) {
                    signingSelector = k.selector();
                }
            }
        } catch (IOException e) {
            // another key file of the domain is unreadable: "osprey dkim show" says which; the new key is written
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("; " + algorithm.keyType() + " key " + keys.keyFile(key.domain(), key.selector(), algorithm));
        out.println("; publish this TXT record in the DNS of " + key.domain() + ":");
        out.println(key.zoneRecord());
        out.println("; (in a DNS provider's web form: name " + key.dnsName() + ", type TXT, value \"" + key.txtValue()
                + "\")");
        if (signingSelector.equals(key.selector())) {
            out.println("; Osprey signs mail from " + key.domain() + " with this key from now on; receivers can"
                    + " check the signatures once the record is published.");
        } else {
            out.println("; mail stays signed with the older " + algorithm.keyType() + " key (selector "
                    + signingSelector + ") until its file is deleted: publish this record first.");
        }
        return 0;
    }

    @Command(name = "show", description = "Print the DNS records of a domain's DKIM keys.")
    int show(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN") String domain) throws CliException {
        var keys = new DkimKeys(config.load().dataDir());
        List<DkimKey> all;
        List<DkimKey> signing;
        try {
            all = keys.load(domain);
            signing = keys.signingKeys(domain);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        if (all.isEmpty()) {
            throw new CliException("no DKIM key for " + DkimKeys.domainName(domain) + " (make one with: osprey dkim"
                    + " generate " + DkimKeys.domainName(domain) + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (DkimKey key : all) {
            out.println("; " + key.algorithm().keyType() + " key " + keys.keyFile(key.domain(), key.selector(),
                    key.algorithm()) + (signing.contains(key) ? ", signing" : ", not signing (an older "
                    + key.algorithm().keyType() + " key signs)"));
            out.println(key.zoneRecord());
        }
        return 0;
    }

    private static boolean signs(List<DkimKey> signing, DkimKey key) {
        return signing.stream().anyMatch(k -> k.algorithm() == key.algorithm() && k.selector().equals(key.selector()));
    }

    private static String printable(String text) {
        return text.replaceAll("[^ -~]", "?");
    }
}
