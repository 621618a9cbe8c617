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
 * The error page of the container's own refusals (401 and 403, see web.xml): problem+json like
 * every other error of the service, with the reason the authentication mechanism gave.
 */
@WebServlet("/problem")
public class ProblemErrorPage extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = (Integer) request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object refusal = request.getAttribute(ApiAuthentication.REFUSAL);
        String detail = refusal != null ? refusal.toString()
                : status == HttpServletResponse.SC_FORBIDDEN ? "your role may not do this: "
                + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + " needs another one"
                : "the request failed with status " + status;
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Problem.json(status, detail, List.of()).toString());
    }
}
