package dev.notify.interfaces.rest;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.notify.interfaces.security.ApiAuthentication;

/**
 * The error page of the container's own refusals and failures (see web.xml): problem+json like
 * every other error of the service, with the reason the authentication mechanism gave for a 401.
 * The detail never holds a failure's internals; the server log has them.
 */
@WebServlet("/problem")
public class ProblemErrorPage extends HttpServlet {

    /** A request's URL in a detail is cut to this length: it may be as long as the server allows. */
    private static final int SHOWN_URL_LENGTH = 200;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // a failure that escaped JAX-RS (a commit that failed in its interceptor) is judged as the mappers judge it
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        int status = failure instanceof Throwable failed
                ? ProblemMappers.Unexpected.unreachable(failed) ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : 500
                : code instanceof Integer known ? known : 500;
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", Integer.toString(ProblemMappers.Unexpected.RETRY_AFTER_SECONDS));
        }
        response.getWriter().write(Problem.json(status, detail(status, request), List.of()).toString());
    }

    private static String detail(int status, HttpServletRequest request) {
        Object refusal = request.getAttribute(ApiAuthentication.REFUSAL);
        if (refusal != null) {
            return refusal.toString();
        }
        String url = shown(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        return switch (status) {
            case 400 -> "the request is malformed";
            case 403 -> "your role may not do this: " + url + " needs another one";
            case 404 -> "nothing here: " + url;
            case 405 -> request.getMethod() + " is not allowed on " + url;
            case 406 -> "the answer can only be application/json or application/problem+json";
            case 413 -> "the request body is too large";
            case 414 -> "the URL is too long";
            case 415 -> "the body's Content-Type is not supported; send application/json";
            case 431 -> "the request's headers are too large";
            case 500 -> "the request could not be completed; the server log has the cause";
            case 503 -> "the database or the broker cannot be reached at the moment; try again later";
            default -> "the request failed with status " + status;
        };
    }

    private static String shown(Object url) {
        String text = String.valueOf(url);
        return text.length() <= SHOWN_URL_LENGTH ? text : text.substring(0, SHOWN_URL_LENGTH) + "...";
    }
}
