package org.osprey.filter.spam.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * The phrases bulk and fraudulent mail has used for decades, in families: instructions to be "removed" from a list
 * nobody joined, claims that the message is not spam, money for nothing, urgency, guarantees, loans and debt,
 * pills, advance-fee fraud, prizes, selling address lists, and the hard sell. The families come from general
 * knowledge of spam (the same families anti-spam rule sets and consumer-protection advice name), not from any
 * corpus. Each phrase is a regular expression over the lower-case text that must begin at the start of a word
 * ({@link PhraseIndex}). A family fires once however many of its phrases occur; advance-fee fraud needs two
 * different phrases (a phrase is one line below, whatever its variants), since each alone turns up in honest
 * business mail. Ordinary mail trips at most one of the weaker families, so each stays well below the tag level on
 * its own.
 */
final class BodyPhraseRule implements Rule {
    /** The visible text searched, from the start: where the pitch is, and where most mail ends anyway. */
    static final int MAX_TEXT = 64 * 1024;

    private record Family(String test, double score, int phrasesNeeded, List<String> phrases) {
    }

    private static final List<Family> FAMILIES = List.of(
        family("REMOVE_INSTRUCTIONS", 1.0, 1,
            "to be removed from (?:our|this|the|any|all|future) (?:[a-z-]+ ){0,2}(?:list|lists|mailings?|database)",
            "(?:reply|respond|send|write|e-?mail)[^.]{0,60}\\bremove\\W{0,3} in the subject",
            "[\"']remove[\"'] (?:in|as) (?:the )?subject",
            "(?:wish|want|like|prefer) (?:not )?to be removed",
            "to (?:be )?remove(?:d)? (?:yourself|your (?:e-?mail|address|name))",
            "click (?:here|below) to (?:be )?remove",
            "(?:removal|opt[- ]?out) (?:instructions|request|link|form)",
            "this is a one[- ]time (?:mailing|e-?mail|message|offer)",
            "you will not (?:be contacted|be e-?mailed|be mailed|receive (?:any )?(?:further|more)) (?:again|e-?mail)"),
        family("NOT_SPAM_CLAIM", 2.0, 1,
            "this (?:e-?mail|message|mail|letter|mailing|is) (?:is )?(?:not|never|in no way) (?:a )?(?:spam|unsolicited)",
            "(?:not|never) (?:be )?considered (?:as )?(?:spam|unsolicited)",
            "(?:bill|s\\.?) ?1618",
            "section 301\\W",
            "(?:complies|compliance|compliant) with [^.]{0,60}(?:anti-?spam|spam|e-?mail) (?:law|laws|legislation|regulations?|bill)"),
        family("MONEY_MAKING", 1.0, 1,
            "(?:make|making|earn|earning|generate|generating) (?:big |extra |serious |real |fast |easy |more )?(?:money|cash|income)",
            "(?:extra|residual|passive|second) (?:income|cash)",
            "financial (?:freedom|independence)",
            "be your own boss",
            "(?:work|working) (?:from|at) (?:your )?home",
            "home[- ]based business",
            "\\$ ?[0-9][0-9,.]{2,12} (?:per|a|each|every) (?:day|week|month)",
            "no experience (?:is )?(?:necessary|needed|required)",
            "multi-?level marketing|network marketing|\\bmlm\\b",
            "get paid (?:to|for)"),
        family("URGENCY", 0.8, 1,
            "act now|act fast|act today",
            "(?:limited|short) time (?:only|offer)",
            "offer (?:expires|ends|is valid until|good until)",
            "(?:order|call|apply|buy|sign up|register|reply|respond) (?:now|today)\\b(?! to)",
            "(?:don'?t|do not) (?:delay|wait|miss (?:out|this))",
            "while (?:supplies|stocks?) last",
            "(?:hurry|urgent)!"),
        family("GUARANTEE", 0.8, 1,
            "100% (?:free|guaranteed|satisfaction|natural|legal|safe|risk[- ]free|money)",
            "money[- ]back guarantee",
            "risk[- ]free",
            "no obligation",
            "no strings attached",
            "satisfaction guaranteed",
            "no questions asked",
            "(?:absolutely|completely|totally) free",
            "guaranteed (?:results|income|approval|to (?:work|make|increase|lose))"),
        family("LOAN_DEBT", 1.0, 1,
            "mortgage rates?",
            "refinanc(?:e|ing) (?:your|now|today|rates)",
            "lower (?:your )?(?:monthly )?(?:payments?|rates?|interest)",
            "consolidat(?:e|ion of) (?:your )?(?:debts?|bills|loans|credit)|debt consolidation",
            "(?:eliminate|reduce|cut) (?:your )?debts?",
            "bad credit|credit repair|poor credit",
            "pre-?approved",
            "(?:lowest|low) (?:interest|rates?|mortgage)"),
        family("PILLS", 1.0, 1,
            "viagra|cialis|levitra|phentermine|xanax|valium|vicodin|propecia",
            "online pharmacy|without (?:a )?prescription|no prescription",
            "(?:lose|losing|burn) (?:weight|fat|\\d+ ?(?:lbs|pounds))",
            "weight loss|diet pills?|fat burner",
            "(?:penis|breast) (?:enlargement|enhancement)",
            "\\bhgh\\b|human growth hormone|anti-?aging"),
        family("ADVANCE_FEE", 2.5, 2,
            "next of kin",
            "(?:transfer|remit|move|remittance of) (?:of )?(?:this|the|these|such) (?:sum|funds?|money)",
            "(?:business|financial) (?:proposal|transaction|relationship)",
            "(?:strict|strictest|utmost|absolute) (?:confidence|confidentiality|secrecy)",
            "million (?:united states|u\\.?s\\.?|us|american) dollars",
            "(?:us|usd|u\\.s\\.) ?\\$? ?\\d+(?:[.,]\\d+)? ?million",
            "foreign (?:partner|account)",
            "(?:late|deceased) (?:husband|father|client|president|mother)",
            "\\d+ ?(?:%|percent) of the (?:total )?(?:sum|fund|funds|money|amount)",
            "(?:central|reserve) bank of",
            "(?:your|an) (?:honest |trusted )?(?:assistance|co-?operation|partnership) (?:in|to|for) (?:this|the) (?:transfer|transaction)"),
        family("PRIZE", 1.0, 1,
            "you (?:have|'ve) (?:been (?:selected|chosen)|won)",
            "congratulations!? you",
            "claim your (?:prize|reward|gift|winnings|award)",
            "you are (?:a|our|the) (?:lucky )?winner"),
        family("ADDRESS_LISTS", 1.0, 1,
            "bulk (?:e-?mail|mail|mailing|mailer)",
            "(?:targeted|opt-?in) (?:e-?mail )?(?:lists?|addresses)",
            "\\d{1,3}(?:,?\\d{3}){0,4} (?:million )?(?:fresh |targeted |valid )?e-?mail addresses",
            "e-?mail marketing",
            "mass e-?mail"),
        family("SALES_PITCH", 0.8, 1,
            "save (?:up to )?\\d+ ?%",
            "\\d+ ?% off\\b",
            "lowest prices?",
            "(?:wholesale|discount|unbeatable|rock[- ]bottom) prices?",
            "free shipping",
            "special (?:offer|promotion|deal|introductory)",
            "order (?:form|online)",
            "(?:incredible|amazing|unbelievable|unbeatable) (?:offer|deal|price|results)",
            "as seen on (?:tv|oprah|television)",
            "(?:once|one) in a lifetime"),
        family("DEAR_STRANGER", 0.5, 1,
            "^\\W*dear (?:friend|sir/madam|sir or madam|sirs?\\b|valued (?:customer|member)|home ?owner|business owner"
                + "|e-?mail user|internet user|beloved)"));

    /** Every phrase of every family, and the family of each. */
    private static final PhraseIndex PHRASES;
    private static final int[] FAMILY_OF;

    static {
        List<String> all = new ArrayList<>();
        List<Integer> familyOf = new ArrayList<>();
        for (int f = 0; f < FAMILIES.size(); f++) {
            for (String phrase : FAMILIES.get(f).phrases()) {
                all.add(phrase);
                familyOf.add(f);
            }
        }
        PHRASES = new PhraseIndex(all);
        FAMILY_OF = familyOf.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Family family(String test, double score, int phrasesNeeded, String... phrases) {
        return new Family(test, score, phrasesNeeded, List.of(phrases));
    }

    @Override
    public Map<String, Double> scores() {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Family family : FAMILIES) {
            scores.put(family.test(), family.score());
        }
        return scores;
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        String text = searchedText(context.message());
        if (text.isEmpty()) {
            return;
        }
        // per family: the phrases found (by index, so that one phrase found twice counts once) and what matched
        List<Map<Integer, String>> found = new ArrayList<>();
        for (int f = 0; f < FAMILIES.size(); f++) {
            found.add(new LinkedHashMap<>());
        }
        PHRASES.find(text, phrase -> {
            Map<Integer, String> ofFamily = found.get(FAMILY_OF[phrase]);
            return !ofFamily.containsKey(phrase)
                && ofFamily.size() < FAMILIES.get(FAMILY_OF[phrase]).phrasesNeeded();
        }, (phrase, match) -> found.get(FAMILY_OF[phrase]).putIfAbsent(phrase, match));
        for (int f = 0; f < FAMILIES.size(); f++) {
            Family family = FAMILIES.get(f);
            if (found.get(f).size() >= family.phrasesNeeded()) {
                findings.add(family.test(), "\"" + String.join("\", \"", found.get(f).values()) + "\"");
            }
        }
    }

    /** The subject and the visible text of every text part, lower case, each run of white space one space. */
    static String searchedText(ParsedMessage message) {
        StringBuilder out = new StringBuilder(4096);
        append(out, message.decodedHeader("Subject"));
        for (ParsedMessage.TextPart part : message.textParts()) {
            if (out.length() >= MAX_TEXT) {
                break;
            }
            out.append('\n');
            append(out, part.text());
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String text) {
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                space = true;
                continue;
            }
            if (space && !out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
                out.append(' ');
            }
            space = false;
            out.append(Character.toLowerCase(c));
        }
    }
}
