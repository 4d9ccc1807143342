package org.sessioncluster.node.mode;

import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;

/** The short answer a node gives when its session store fails a request: JSON, or a small page for browsers. */
public final class StoreFailureAnswer {
    private StoreFailureAnswer() {}

    /** Replaces whatever the response held; a 503 says when to try again. */
    public static void write(Request request, Response response, int status, String error, String explanation)
            throws IOException {
        response.reset();
        response.setStatus(status);
        if (status == 503) {
            response.setHeader("Retry-After", "2");
        }
        response.setHeader("Cache-Control", "no-store");
        boolean html = String.valueOf(request.getHeader("Accept")).contains("text/html");
        response.setContentType(html ? "text/html" : "application/json");
        response.setCharacterEncoding("UTF-8");
        PrintWriter out = response.getWriter();
        if (html) {
            out.print("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status + " " + error
                    + "</title>"
                    + "<link rel=\"icon\" href=\"data:,\"></head><body><h1>"
                    + (status == 503 ? "Sessions are unavailable for a moment" : "Your session cannot be read")
                    + "</h1><p>" + explanation + "</p></body></html>");
        } else {
            out.print("{\"error\":\"" + error + "\",\"status\":" + status
                    + (status == 503 ? ",\"retryAfterSeconds\":2" : "") + "}");
        }
        response.flushBuffer(); // committed: Tomcat's error page leaves it alone
    }
}
