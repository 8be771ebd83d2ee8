package io.zeroetl.postgres;

import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a target holding one table keyed by its first column looks like after applying events in order. */
final class TargetModel {
    private final Map<Object, List<Object>> rows = new TreeMap<>();

    static TargetModel of(List<ChangeEvent> events) {
        TargetModel model = new TargetModel();
        for (ChangeEvent e : events) {
            if (e instanceof TruncateEvent) {
                model.rows.clear();
            } else if (e instanceof InsertEvent insert) {
                model.rows.put(insert.row().get(0), insert.row().values());
            } else if (e instanceof UpdateEvent update) {
                Object key = update.newRow().get(0);
                List<Object> previous = model.rows.remove(
                        update.oldRow() != null ? update.oldRow().get(0) : key);
                model.rows.put(key, merge(previous, update.newRow()));
            } else if (e instanceof DeleteEvent delete) {
                model.rows.remove(delete.oldRow().get(0));
            }
        }
        return model;
    }

    private static List<Object> merge(List<Object> previous, Row row) {
        List<Object> merged = new ArrayList<>(row.values());
        for (int i = 0; i < merged.size(); i++) {
            if (merged.get(i) == Row.UNCHANGED) {
                merged.set(i, previous.get(i));
            }
        }
        return merged;
    }

    /** Rows as "key|col|col..." in key order. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        rows.values()
                .forEach(r -> lines.add(
                        String.join("|", r.stream().map(String::valueOf).toList())));
        return lines;
    }
}
