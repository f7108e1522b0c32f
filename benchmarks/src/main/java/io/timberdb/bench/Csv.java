package io.timberdb.bench;

import java.util.ArrayList;
import java.util.List;

/** Reads CSV (the loghub structured samples, JMH's result files). Stateless; thread-safe. */
public final class Csv {

    private Csv() {
    }

    /** RFC 4180 records: comma-separated, fields optionally quoted with "" for a quote; a quoted field may span lines. */
    public static List<List<String>> parse(List<String> text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int l = 0; l < text.size(); l++) {
            String line = text.get(l);
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    record.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            if (quoted) {
                field.append('\n');
                continue;
            }
            record.add(field.toString());
            field.setLength(0);
            records.add(record);
            record = new ArrayList<>();
        }
        if (quoted || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
