package org.osprey.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One table of the config file, read key by key with typed defaults. Every key read is remembered, so that
 * {@link #rejectUnknownKeys()} can name a key nobody asked for: a typo must stop start-up, not be ignored.
 */
final class TomlTable {
    private final String name;
    private final ObjectNode node;
    private final Set<String> read = new HashSet<>();

    TomlTable(String name, ObjectNode node) {
        this.name = name;
        this.node = node;
    }

    static TomlTable empty(String name) {
        return new TomlTable(name, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }

    String string(String key, String defaultValue) throws ConfigException {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isTextual()) {
            throw error(key, "must be a string in quotes, not " + describe(value));
        }
        return value.asText();
    }

    long integer(String key, long defaultValue, long min, long max) throws ConfigException {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber()) {
            throw error(key, "must be a whole number, not " + describe(value));
        }
        long n = value.asLong();
        if (n < min || n > max) {
            throw error(key, n + " is out of range " + min + "-" + max);
        }
        return n;
    }

    double decimal(String key, double defaultValue, double min, double max) throws ConfigException {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isNumber()) {
            throw error(key, "must be a number like 5.0, not " + describe(value));
        }
        double n = value.asDouble();
        if (!(n >= min && n <= max)) {
            throw error(key, n + " is out of range " + min + " to " + max);
        }
        return n;
    }

    boolean bool(String key, boolean defaultValue) throws ConfigException {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw error(key, "must be true or false, not " + describe(value));
        }
        return value.asBoolean();
    }

    List<String> strings(String key, List<String> defaultValue) throws ConfigException {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isArray()) {
            throw error(key, "must be a list of strings like [\"a\", \"b\"], not " + describe(value));
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw error(key, "must be a list of strings, but holds " + describe(element));
            }
            result.add(element.asText());
        }
        return List.copyOf(result);
    }

    TomlTable table(String key) throws ConfigException {
        JsonNode value = take(key);
        String child = name.isEmpty() ? key : name + "." + key;
        if (value == null) {
            return empty(child);
        }
        if (!value.isObject()) {
            throw error(key, "must be a table [" + child + "], not " + describe(value));
        }
        return new TomlTable(child, (ObjectNode) value);
    }

    /** True when the key holds a table (an inline { ... } or a [section]). */
    boolean isTable(String key) {
        JsonNode value = node.get(key);
        return value != null && value.isObject();
    }

    /** The keys of a free-form table (such as a route map), each read as a string. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        read.addAll(keys);
        return keys;
    }

    void rejectUnknownKeys() throws ConfigException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!read.contains(key)) {
                throw error(key, "unknown key");
            }
        }
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(qualified(key) + ": " + problem);
    }

    String qualified(String key) {
        return name.isEmpty() ? key : "[" + name + "] " + key;
    }

    private JsonNode take(String key) {
        read.add(key);
        return node.get(key);
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the string \"" + value.asText() + "\"";
        }
        if (value.isObject()) {
            return "a table";
        }
        if (value.isArray()) {
            return "a list";
        }
        return value.toString();
    }
}
