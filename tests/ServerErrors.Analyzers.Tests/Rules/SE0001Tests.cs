using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE0001Tests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public Task InvalidRetryAfterSeconds_ReportsOnceAndFallsBackToDefault(string value) => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        EditorConfig = "server_errors.retry_after_seconds = " + value,
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                public IActionResult A()
                {
                    return {|SE0001:{|SE1003:StatusCode(503)|}|};
                }

                public IActionResult B()
                {
                    return {|SE1004:StatusCode(429)|};
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                public IActionResult A()
                {
                    Response.Headers.RetryAfter = "30";
                    return StatusCode(503);
                }

                public IActionResult B()
                {
                    Response.Headers.RetryAfter = "30";
                    return StatusCode(429);
                }
            }
            """,
        ExpectedMessages = new()
        {
            $"Option 'server_errors.retry_after_seconds' has the invalid value '{value}'; 30 is used instead",
            "This 503 response does not set a Retry-After header",
            "This 429 response does not set a Retry-After header",
        },
    }.RunAsync();

    [Fact]
    public Task ValidValue_NoSE0001() => new AnalyzerTest<RetryAfterMissingAnalyzer>
    {
        EditorConfig = "server_errors.retry_after_seconds = 45",
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                public IActionResult A() => [|StatusCode(503)|];
            }
            """,
    }.RunAsync();

    [Fact]
    public Task InvalidValue_FirstFileOnly() => new AnalyzerTest<RetryAfterMissingAnalyzer>
    {
        EditorConfig = "server_errors.retry_after_seconds = soon",
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class AController : ControllerBase
            {
                public IActionResult A() => {|SE0001:[|StatusCode(503)|]|};
            }
            """,
        AdditionalSources =
        {
            """
            using Microsoft.AspNetCore.Mvc;

            public class BController : ControllerBase
            {
                public IActionResult B() => [|StatusCode(503)|];
            }
            """,
        },
    }.RunAsync();

    [Fact]
    public Task InvalidValue_NothingUsesIt_Silent() => new AnalyzerTest<RetryAfterMissingAnalyzer>
    {
        EditorConfig = "server_errors.retry_after_seconds = soon",
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                public IActionResult A() => Ok();
            }
            """,
    }.RunAsync();
}
