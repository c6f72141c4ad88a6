package org.osprey.filter.spam.rules;

import java.util.Map;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.MessageHeader;

/**
 * The From field against the SMTP envelope: a From in the recipient's own domain sent from elsewhere, with no DKIM
 * signature of that domain or DMARC pass to vouch for it (the "message from your own company" trick of phishing;
 * a company newsletter sent through a mailing service is signed for the company's domain), and, weighing little, a From of another domain than the envelope sender (normal for newsletters sent through a
 * mailing service, so alone it says almost nothing). Mailing-list posts (List-Id or List-Post) are not judged, nor
 * bounces (empty envelope sender) or messages scored without an envelope.
 */
final class EnvelopeRule implements Rule {
    @Override
    public Map<String, Double> scores() {
        return Map.of("FROM_RECIPIENT_DOMAIN_FORGED", 1.5);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        MessageHeader header = context.message().header();
        String envelopeDomain = Addresses.domain(context.sender());
        Addresses from = Addresses.first(header.value("From").orElse(""));
        if (envelopeDomain.isEmpty() || !from.valid() || header.value("List-Id").isPresent()
            || header.value("List-Post").isPresent()) {
            return;
        }
        String fromRegistered = Domains.registered(from.domain());
        String envelopeRegistered = Domains.registered(envelopeDomain);
        if (fromRegistered.equals(envelopeRegistered) || findings.has("DKIM_VALID_AU")
            || findings.has("DMARC_PASS")) {
            return;
        }
        for (String recipient : context.recipients()) {
            if (Domains.registered(Addresses.domain(recipient)).equals(fromRegistered)) {
                findings.add("FROM_RECIPIENT_DOMAIN_FORGED", "From " + from.address() + " in the recipient's domain,"
                    + " sent by " + context.sender());
                break;
            }
        }
    }
}
