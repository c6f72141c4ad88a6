package org.osprey.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints rows as a plain aligned table for people, or as a JSON array of objects for scripts (--json). */
final class TableOutput {
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    TableOutput(String... columns) {
        this.columns = List.of(columns);
    }

    TableOutput row(Object... values) {
        rows.add(java.util.Arrays.asList(values));
        return this;
    }

    void print(PrintWriter out, boolean json) {
        if (json) {
            List<Map<String, Object>> objects = new ArrayList<>();
            for (List<Object> row : rows) {
                Map<String, Object> object = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    object.put(columns.get(i).toLowerCase(java.util.Locale.ROOT), row.get(i));
                }
                objects.add(object);
            }
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(objects));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.flush();
            return;
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (List<Object> row : rows) {
                widths[i] = Math.max(widths[i], String.valueOf(row.get(i)).length());
            }
        }
        printRow(out, columns.stream().map(c -> (Object) c).toList(), widths);
        for (List<Object> row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, List<Object> values, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String cell = String.valueOf(values.get(i));
            line.append(cell);
            if (i < values.size() - 1) {
                line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
