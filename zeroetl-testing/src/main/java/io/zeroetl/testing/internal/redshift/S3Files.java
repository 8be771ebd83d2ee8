package io.zeroetl.testing.internal.redshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files a COPY names in S3, found as Redshift finds them: a manifest's entries (r_COPY_command_examples,
 * loading-data-files-using-manifest), every object under a prefix, each read through the S3 API.
 */
final class S3Files {
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Files() {}

    static List<String> manifest(S3Client s3, String url) {
        JsonNode m;
        try (InputStream in = open(s3, url)) {
            m = JSON.readTree(in);
        } catch (NoSuchKeyException e) {
            throw new Rejected(Rejected.INTERNAL, "Manifest file is not found: " + url);
        } catch (IOException e) {
            throw new Rejected(Rejected.INTERNAL, "Manifest file is not in correct json format: " + url);
        }
        if (!m.path("entries").isArray()) {
            throw new Rejected(
                    Rejected.INTERNAL,
                    "Manifest file is not in correct json format: " + url + " (no \"entries\" array)");
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode e : m.path("entries")) {
            String file = e.path("url").asText("");
            if (!file.startsWith("s3://")) {
                throw new Rejected(
                        Rejected.INTERNAL,
                        "Manifest file is not in correct json format: entry without an" + " s3:// url in " + url);
            }
            if (exists(s3, file)) {
                urls.add(file);
            } else if (e.path("mandatory").asBoolean(false)) {
                throw new Rejected(
                        Rejected.INTERNAL, "Manifest file contains a mandatory entry that is not found: " + file);
            }
        }
        return urls;
    }

    static List<String> prefix(S3Client s3, String url) {
        String[] parts = bucketAndKey(url);
        List<String> urls = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                        .bucket(parts[0])
                        .prefix(parts[1])
                        .build())
                .contents()) {
            urls.add("s3://" + parts[0] + "/" + o.key());
        }
        if (urls.isEmpty()) {
            throw new Rejected(Rejected.INTERNAL, "The specified S3 prefix '" + parts[1] + "' does not exist");
        }
        return urls;
    }

    static boolean exists(S3Client s3, String url) {
        String[] parts = bucketAndKey(url);
        try {
            s3.headObject(b -> b.bucket(parts[0]).key(parts[1]));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static InputStream open(S3Client s3, String url) {
        String[] parts = bucketAndKey(url);
        return s3.getObject(b -> b.bucket(parts[0]).key(parts[1]));
    }

    static String[] bucketAndKey(String url) {
        String rest = url.substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new String[] {rest, ""} : new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }
}
