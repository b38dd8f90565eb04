using Microsoft.CodeAnalysis;

namespace ServerErrors.Analyzers;

/// <summary>Every diagnostic the package reports. IDs are public API: never renumber.</summary>
internal static class Descriptors
{
    private const string HelpLinkBase = "https://github.com/server-errors/ServerErrors.Analyzers/blob/main/docs/rules/";

    internal static class Categories
    {
        public const string Configuration = "Configuration";
        public const string Security = "Security";
        public const string Reliability = "Reliability";
        public const string Interoperability = "Interoperability";
    }

    public static readonly DiagnosticDescriptor SE0001_InvalidOption = Create(
        "SE0001",
        "Invalid server_errors option",
        "Option '{0}' has the invalid value '{1}'; {2} is used instead",
        Categories.Configuration,
        DiagnosticSeverity.Warning,
        "An option of ServerErrors.Analyzers in .editorconfig has a value that cannot be used. The default applies until the value is corrected.");

    public static readonly DiagnosticDescriptor SE1001_ExceptionDetailsInResponse = Create(
        "SE1001",
        "Do not expose exception details in a server error response",
        "'{0}' is sent to the client in a {1} response",
        Categories.Security,
        DiagnosticSeverity.Warning,
        "Stack traces, exception messages and exception objects tell an attacker how the server is built. Log them and send a generic message with a request id instead.");

    public static readonly DiagnosticDescriptor SE1002_DetailedErrorsOutsideDevelopment = Create(
        "SE1002",
        "Do not enable detailed errors outside Development",
        // {1}: why it is not limited to Development; {2}: where the details are then sent (see DetailedErrorsOutsideDevelopmentAnalyzer).
        "'{0}' {1} and sends exception details to clients {2}",
        Categories.Security,
        DiagnosticSeverity.Warning,
        "The developer exception page, the database error page, detailed SignalR/gRPC/Blazor Server errors, Hellang ProblemDetails exception details and CoreWCF exception details in faults show stack traces and source to anyone. Enable them only when the host environment is Development.");

    public static readonly DiagnosticDescriptor SE1003_ServiceUnavailableWithoutRetryAfter = Create(
        "SE1003",
        "Return Retry-After with 503 Service Unavailable",
        "This 503 response does not set a Retry-After header",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "A 503 tells the client to come back later; without Retry-After clients can only guess and keep hammering an overloaded server.");

    public static readonly DiagnosticDescriptor SE1004_TooManyRequestsWithoutRetryAfter = Create(
        "SE1004",
        "Return Retry-After with 429 Too Many Requests",
        "This 429 response does not set a Retry-After header",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        "A 429 should tell the client when it may send again; without Retry-After clients retry blindly and stay throttled.");

    public static readonly DiagnosticDescriptor SE1005_InvalidRetryAfterValue = Create(
        "SE1005",
        "Retry-After must be delta-seconds or an HTTP-date",
        // {1}: "is not a valid Retry-After value", or why a computed number may not be one.
        "'{0}' {1}; use a whole number of seconds or an HTTP-date",
        Categories.Interoperability,
        DiagnosticSeverity.Warning,
        "RFC 9110 allows only a non-negative integer of seconds or an IMF-fixdate in Retry-After. Clients ignore any other value.");

    public static readonly DiagnosticDescriptor SE2001_RetriesClientErrors = Create(
        "SE2001",
        "Do not retry 4xx client errors",
        "This retry also retries 4xx client errors: {0}",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "A 4xx response means the request itself is wrong and will fail the same way again. Retry only transient failures: 5xx, 408, 429 and network errors.");

    public static readonly DiagnosticDescriptor SE2002_RetryWithoutBackoff = Create(
        "SE2002",
        "Retry with exponential backoff",
        "This retry {0}; use exponential backoff",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Retrying immediately or at a constant pace hammers a server that is already struggling. Back off exponentially, ideally with jitter.");

    public static readonly DiagnosticDescriptor SE2003_RetryIgnoresRetryAfter = Create(
        "SE2003",
        "Honor Retry-After when retrying 503/429",
        "This retry handles {0} but never reads the Retry-After header",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        "A server that answers 503 or 429 usually says when to come back. A retry that handles those statuses should wait for Retry-After when it is present.");

    public static readonly DiagnosticDescriptor SE2004_UnboundedRetry = Create(
        "SE2004",
        "Bound the number of retries",
        "{0} retries without limit; bound the number of attempts",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "A retry without an attempt limit never gives up: it hides outages, holds resources and keeps load on a failing server.");

    public static readonly DiagnosticDescriptor SE2005_NonIdempotentRetry = Create(
        "SE2005",
        "Do not retry non-idempotent requests without an idempotency key",
        "{0} resends {1} requests, which are not idempotent, without an idempotency key",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "POST and PATCH are not idempotent (RFC 9110): when an attempt reached the server and only the response was lost, retrying it creates a second order or applies a change twice. Send an idempotency key that stays the same for every attempt, or do not retry unsafe methods.");

    // Reported at compilation end: the registration and the retry can sit in different files.
    public static readonly DiagnosticDescriptor SE2006_StackedRetry = new(
        "SE2006",
        "Do not stack retrying handlers on one HttpClient",
        "{0} retries on top of {1}; the attempts multiply",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        "Two retry layers on one client multiply the attempts (3 retries over 3 retries is 16 requests per call), which is what brings a struggling dependency down. Keep one retrying handler per client.",
        HelpLinkBase + "SE2006.md",
        WellKnownDiagnosticTags.CompilationEnd);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description)
        => new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLinkBase + id + ".md");
}
