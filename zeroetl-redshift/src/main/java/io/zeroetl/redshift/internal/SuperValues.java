package io.zeroetl.redshift.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.zeroetl.spi.UnstorableValueException;
import java.io.IOException;

/**
 * What a SUPER value must be before it is sent, by the documented limits: a string inside it holds at most
 * 65,535 bytes, the longest VARCHAR (limitations-super: "a single string value loaded to SUPER is limited to
 * the maximum VARCHAR length of 65535 bytes"), and an object names each attribute once — JSON_PARSE and COPY
 * refuse a repeated attribute unless the cluster is told to keep the last (super-configurations), so a
 * PostgreSQL {@code json} document's repeated keys are resolved here as its {@code jsonb} would: the last wins.
 */
final class SuperValues {
    /** The longest string a SUPER value may hold (r_Character_types, limitations-super). */
    static final int MAX_STRING_BYTES = 65_535;

    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper LAST_WINS = JsonMapper.builder()
            // 3.50 stays 3.50, as jsonb keeps it
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private SuperValues() {}

    /** {@code doc}, checked: a string in it over 65,535 bytes cannot be stored. */
    static String checked(String doc) {
        if (doc == null || doc.length() <= MAX_STRING_BYTES / 4 || Utf8.bytes(doc) <= MAX_STRING_BYTES) {
            return doc;
        }
        try (JsonParser p = LAST_WINS.getFactory().createParser(doc)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) {
                    long bytes = Utf8.bytes(p.getText());
                    if (bytes > MAX_STRING_BYTES) {
                        throw new UnstorableValueException("a string of " + bytes + " bytes inside the document:"
                                + " Redshift holds at most 65,535 bytes in one string of a SUPER value"
                                + " (limitations-super)");
                    }
                }
            }
        } catch (IOException e) {
            throw new UnstorableValueException("not a JSON document Redshift can parse: " + e.getMessage());
        }
        return doc;
    }

    /** {@code doc} with each object's repeated keys resolved as jsonb does (the last wins); as it is without any. */
    static String deduplicated(String doc) {
        if (doc == null || doc.indexOf(':') < 0) {
            return doc;
        }
        try (JsonParser p = STRICT.createParser(doc)) {
            while (p.nextToken() != null) {
                // reading is the check: a repeated key throws
            }
            return doc;
        } catch (IOException repeated) {
            try {
                return LAST_WINS.writeValueAsString(LAST_WINS.readTree(doc));
            } catch (IOException e) {
                throw new UnstorableValueException("not a JSON document Redshift can parse: " + e.getMessage());
            }
        }
    }
}
