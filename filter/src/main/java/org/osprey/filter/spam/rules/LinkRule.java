package org.osprey.filter.spam.rules;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * The links: a link whose visible text is itself an address of another domain than where it goes (the phishing
 * link; newsletters' click tracking does it too, so it weighs little), links through URL shorteners (hide the
 * destination), links to a bare IP address, and links with user info before the host
 * ({@code http://bank.example@203.0.113.9/}, which shows one name and goes elsewhere).
 */
final class LinkRule implements Rule {
    private static final Pattern URL_TEXT =
        Pattern.compile("(?i)(https?://)?([a-z0-9-]+\\.)+[a-z]{2,}(:\\d+)?([/?#]\\S*)?");

    @Override
    public Map<String, Double> scores() {
        return Map.of("LINK_TEXT_OTHER_DOMAIN", 0.6, "URL_SHORTENER", 0.6, "URL_IP_ADDRESS", 1.2,
            "URL_USERINFO", 1.5);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        String otherDomain = null;
        String shortener = null;
        String ip = null;
        String userinfo = null;
        for (ParsedMessage.Link link : context.message().links()) {
            Optional<String> host = Domains.host(link.href());
            if (host.isEmpty()) {
                continue;
            }
            String h = host.get();
            if (Domains.isShortener(h)) {
                shortener = shortener == null ? h : shortener;
            }
            if (Domains.isIpLiteral(h)) {
                ip = ip == null ? h : ip;
            }
            if (Domains.authority(link.href()).indexOf('@') >= 0) {
                userinfo = userinfo == null ? h : userinfo;
            }
            String text = link.text().strip();
            if (otherDomain == null && text.indexOf('.') > 0 && text.indexOf(' ') < 0
                && URL_TEXT.matcher(text).matches()) {
                String shown = text.toLowerCase(Locale.ROOT).startsWith("http") ? text : "http://" + text;
                Optional<String> shownHost = Domains.host(shown);
                if (shownHost.isPresent() && !Domains.registered(shownHost.get()).equals(Domains.registered(h))) {
                    otherDomain = shownHost.get() + " goes to " + h;
                }
            }
        }
        if (otherDomain != null) {
            findings.add("LINK_TEXT_OTHER_DOMAIN", otherDomain);
        }
        if (shortener != null) {
            findings.add("URL_SHORTENER", shortener);
        }
        if (ip != null) {
            findings.add("URL_IP_ADDRESS", ip);
        }
        if (userinfo != null) {
            findings.add("URL_USERINFO", "a link with user info before " + userinfo);
        }
    }
}
