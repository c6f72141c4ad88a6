package org.osprey.sieve.compile;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.osprey.sieve.program.Capability;

/** Builds the table of tags a command or test accepts (see {@link Arguments}). */
final class Rules {
    static final String MATCH_TYPE = "match type";
    static final String COMPARATOR = "comparator";
    static final String ADDRESS_PART = "address part";

    private final Map<String, Arguments.Rule> rules = new HashMap<>();

    static Rules of() {
        return new Rules();
    }

    Rules flag(String tag, String group, Capability... needs) {
        rules.put(tag, new Arguments.Rule(Arguments.Param.NONE, group, Set.of(needs)));
        return this;
    }

    Rules param(String tag, Arguments.Param param, String group, Capability... needs) {
        rules.put(tag, new Arguments.Rule(param, group, Set.of(needs)));
        return this;
    }

    /** :comparator "name" (RFC 5228 §2.7.3). */
    Rules comparator() {
        return param("comparator", Arguments.Param.STRING, COMPARATOR);
    }

    /** :is, :contains, :matches; :regex; :count and :value with their relation. */
    Rules matchTypes() {
        return flag("is", MATCH_TYPE).flag("contains", MATCH_TYPE).flag("matches", MATCH_TYPE)
                .flag("regex", MATCH_TYPE, Capability.REGEX)
                .param("count", Arguments.Param.STRING, MATCH_TYPE, Capability.RELATIONAL)
                .param("value", Arguments.Param.STRING, MATCH_TYPE, Capability.RELATIONAL);
    }

    /** :all, :localpart, :domain; :user and :detail of "subaddress". */
    Rules addressParts() {
        return flag("all", ADDRESS_PART).flag("localpart", ADDRESS_PART).flag("domain", ADDRESS_PART)
                .flag("user", ADDRESS_PART, Capability.SUBADDRESS).flag("detail", ADDRESS_PART, Capability.SUBADDRESS);
    }

    /** :index n and :last of "index" (RFC 5260 §6). */
    Rules index() {
        return param("index", Arguments.Param.NUMBER, null, Capability.INDEX).flag("last", null, Capability.INDEX);
    }

    Map<String, Arguments.Rule> build() {
        return Map.copyOf(rules);
    }
}
