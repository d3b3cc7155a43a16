// A small Java 17 client of the cadre-rules decision service (`cadre-rules serve`, docs/service.md).
//
// Dependency-free on purpose: java.net.http for HTTP and a forty-line JSON reader below, so that it
// builds with `javac` alone. A Spring system would rather generate a typed client from
// GET /openapi.json (OpenAPI 3.0.3) with openapi-generator; this file shows the wire protocol.
//
//   javac -d out examples/java/CadreRulesClient.java
//   java -cp out CadreRulesClient http://127.0.0.1:8000 audit case.json
//   java -cp out CadreRulesClient http://127.0.0.1:8000 open record.json 2021-03-02
//   java -cp out CadreRulesClient http://127.0.0.1:8000 event CASE_ID event.json
//   java -cp out CadreRulesClient http://127.0.0.1:8000 state CASE_ID
//   java -cp out CadreRulesClient http://127.0.0.1:8000 rules
//
// The bearer token, if the service wants one, comes from the environment (CADRE_RULES_TOKEN), and
// the caller's name for the decision log from CADRE_RULES_CALLER (a gateway sets that header itself).
// Exit status: 0 answered 2xx, 1 the service answered an error (printed), 2 usage or connection error.

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class CadreRulesClient {
    // HTTP/1.1: the JDK client's default (HTTP/2) sends an "Upgrade: h2c" header over plain HTTP,
    // which uvicorn's faster parser refuses; a gateway in front speaks HTTP/2 to clients if wanted.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    CadreRulesClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** One call: status and parsed JSON body. */
    record Answer(int status, Object body) {}

    Answer call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        String token = System.getenv("CADRE_RULES_TOKEN");
        if (token != null && !token.isEmpty()) request.header("Authorization", "Bearer " + token);
        String caller = System.getenv("CADRE_RULES_CALLER");
        if (caller != null && !caller.isEmpty()) request.header("X-Caller", caller);
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                   .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), new Json(response.body()).value());
    }

    // -- the commands ------------------------------------------------------------------------------

    int audit(Path caseFile) throws IOException, InterruptedException {
        String body = "{\"input\":" + Files.readString(caseFile, StandardCharsets.UTF_8) + ",\"source\":"
                + quote(caseFile.toString()) + "}";
        Answer answer = call("POST", "/v1/audit", body);
        if (answer.status() != 200) return problem(answer);
        Map<?, ?> top = (Map<?, ?>) answer.body();
        Map<?, ?> result = (Map<?, ?>) top.get("result");
        System.out.println("decision_id " + top.get("decision_id"));
        System.out.println("rulebook " + ((Map<?, ?>) top.get("rulebook")).get("version"));
        System.out.println("case " + result.get("case_id") + " " + result.get("status"));
        for (Object item : (List<?>) result.get("findings")) {
            Map<?, ?> finding = (Map<?, ?>) item;
            System.out.println("finding " + finding.get("rule_id") + " " + finding.get("verdict") + " "
                    + String.join(",", strings(finding.get("evidence"))));
        }
        return 0;
    }

    int open(Path recordFile, String on) throws IOException, InterruptedException {
        String body = "{\"record\":" + Files.readString(recordFile, StandardCharsets.UTF_8) + ",\"on\":" + quote(on) + "}";
        Answer answer = call("POST", "/v1/cases", body);
        if (answer.status() != 201) return problem(answer);
        Map<?, ?> state = (Map<?, ?>) ((Map<?, ?>) answer.body()).get("state");
        System.out.println("opened " + state.get("case_id") + " at " + state.get("stage"));
        return 0;
    }

    int event(String caseId, Path eventFile) throws IOException, InterruptedException {
        Answer answer = call("POST", "/v1/cases/" + caseId + "/events", Files.readString(eventFile, StandardCharsets.UTF_8));
        if (answer.status() != 200) return problem(answer);
        Map<?, ?> result = (Map<?, ?>) ((Map<?, ?>) answer.body()).get("result");
        Map<?, ?> event = (Map<?, ?>) result.get("event");
        if (Boolean.TRUE.equals(result.get("accepted"))) {
            System.out.println("accepted " + event.get("id") + " -> " + result.get("stage") + " seq " + result.get("seq"));
        } else {
            List<String> rules = new ArrayList<>();
            for (Object refusal : (List<?>) result.get("refused_by")) rules.add(String.valueOf(((Map<?, ?>) refusal).get("rule_id")));
            System.out.println("refused " + event.get("id") + " by " + String.join(",", rules) + " seq " + result.get("seq"));
            // INVALID-EVENT: the field errors of the event's data (absent from every other refusal)
            for (Object refusal : (List<?>) result.get("refused_by")) {
                if (((Map<?, ?>) refusal).get("errors") instanceof List<?> errors) {
                    for (Object item : errors) {
                        Map<?, ?> error = (Map<?, ?>) item;
                        System.out.println("field " + error.get("path") + ": " + ((Map<?, ?>) error.get("message")).get("zh"));
                    }
                }
            }
        }
        return 0;
    }

    int state(String caseId) throws IOException, InterruptedException {
        Answer answer = call("GET", "/v1/cases/" + caseId, null);
        if (answer.status() != 200) return problem(answer);
        Map<?, ?> state = (Map<?, ?>) answer.body();
        System.out.println("state " + state.get("case_id") + " " + state.get("stage") + " events " + state.get("events")
                + " pending " + String.join(",", strings(state.get("pending"))));
        return 0;
    }

    int rules() throws IOException, InterruptedException {
        Answer answer = call("GET", "/v1/rules", null);
        if (answer.status() != 200) return problem(answer);
        List<?> rules = (List<?>) ((Map<?, ?>) answer.body()).get("rules");
        System.out.println("rules " + rules.size());
        return 0;
    }

    /** An error answer: status, title and each field error, one per line. */
    static int problem(Answer answer) {
        Map<?, ?> body = answer.body() instanceof Map<?, ?> m ? m : Map.of();
        System.out.println("error " + answer.status() + " " + body.get("title"));
        Object errors = body.get("errors");
        if (errors instanceof List<?> list) {
            for (Object item : list) {
                Map<?, ?> error = (Map<?, ?>) item;
                System.out.println("field " + error.get("path") + ": " + error.get("message"));
            }
        }
        return 1;
    }

    static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> items) for (Object item : items) out.add(String.valueOf(item));
        return out;
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c)); else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    /** A minimal JSON reader: objects as LinkedHashMap, arrays as List, numbers as Long or Double. */
    static final class Json {
        private final String s;
        private int i;

        Json(String text) { this.s = text; }

        Object value() {
            skip();
            if (i >= s.length()) throw new IllegalArgumentException("empty JSON");
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    Map<String, Object> map = new LinkedHashMap<>();
                    i++; skip();
                    if (s.charAt(i) == '}') { i++; return map; }
                    while (true) {
                        skip(); String key = string(); skip(); expect(':');
                        map.put(key, value()); skip();
                        if (s.charAt(i) == ',') { i++; continue; }
                        expect('}'); return map;
                    }
                }
                case '[': {
                    List<Object> list = new ArrayList<>();
                    i++; skip();
                    if (s.charAt(i) == ']') { i++; return list; }
                    while (true) {
                        list.add(value()); skip();
                        if (s.charAt(i) == ',') { i++; continue; }
                        expect(']'); return list;
                    }
                }
                case '"': return string();
                case 't': i += 4; return Boolean.TRUE;
                case 'f': i += 5; return Boolean.FALSE;
                case 'n': i += 4; return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    String number = s.substring(start, i);
                    if (number.isEmpty()) throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
                    return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : (Object) Double.valueOf(number);
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c != '\\') { out.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> { out.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                    default -> out.append(e);
                }
            }
            i++;
            return out.toString();
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
            i++;
        }
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: CadreRulesClient BASE_URL (audit FILE | open FILE DATE | event CASE FILE | state CASE | rules)");
            System.exit(2);
        }
        CadreRulesClient client = new CadreRulesClient(args[0]);
        try {
            int status = switch (args[1]) {
                case "audit" -> client.audit(Path.of(args[2]));
                case "open" -> client.open(Path.of(args[2]), args[3]);
                case "event" -> client.event(args[2], Path.of(args[3]));
                case "state" -> client.state(args[2]);
                case "rules" -> client.rules();
                default -> { System.err.println("unknown command " + args[1]); yield 2; }
            };
            System.exit(status);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("error: " + e);
            System.exit(2);
        }
    }
}
