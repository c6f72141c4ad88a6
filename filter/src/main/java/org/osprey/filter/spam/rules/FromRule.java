package org.osprey.filter.spam.rules;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osprey.filter.Findings;

/**
 * Who the message claims to be from against where replies go: a Reply-To at a free mail provider while From is
 * another domain (the reply collector of advance-fee and phishing mail), and a display name that shows an address
 * of another domain than the real one ({@code "service@bank.example" <x@elsewhere.example>}). A Reply-To that
 * merely differs (newsletters) weighs next to nothing; mailing list posts (List-Id or List-Post) are not judged,
 * since lists rewrite From to themselves and put the author in Reply-To.
 */
final class FromRule implements Rule {
    private static final Pattern ADDRESS_IN_NAME = Pattern.compile("[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");

    @Override
    public Map<String, Double> scores() {
        return Map.of("FROM_REPLYTO_DIFFER", 0.1, "FREEMAIL_REPLYTO", 1.5, "FROM_NAME_OTHER_ADDRESS", 1.5);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        Addresses from = Addresses.first(context.message().header().value("From").orElse(""));
        Addresses replyTo = Addresses.first(context.message().header().value("Reply-To").orElse(""));
        String fromDomain = from.domain();
        if (context.message().header().value("List-Id").isPresent()
            || context.message().header().value("List-Post").isPresent()) {
            return; // lists put the list in From and the author in Reply-To (DMARC mitigation)
        }
        if (replyTo.valid() && !fromDomain.isEmpty()
            && !Domains.registered(replyTo.domain()).equals(Domains.registered(fromDomain))) {
            findings.add("FROM_REPLYTO_DIFFER", "Reply-To " + replyTo.domain() + ", From " + fromDomain);
            if (Domains.isFreemail(replyTo.domain())) {
                findings.add("FREEMAIL_REPLYTO", "Reply-To at free mail provider " + replyTo.domain());
            }
        }
        Matcher m = ADDRESS_IN_NAME.matcher(from.displayName());
        // "alice@example.org via Helpdesk": ticket systems and groups sending on someone's behalf, in the open
        if (m.find() && !fromDomain.isEmpty() && !from.displayName().contains(" via ")) {
            String shown = Addresses.domain(m.group());
            if (!Domains.registered(shown).equals(Domains.registered(fromDomain))) {
                findings.add("FROM_NAME_OTHER_ADDRESS", "display name shows " + m.group() + ", address at "
                    + fromDomain);
            }
        }
    }
}
