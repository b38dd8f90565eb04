using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.LoopVerifier<
    ServerErrors.Analyzers.Client.RetryPredicateAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2001LoopTests
{
    [Theory]
    [MemberData(nameof(NotRetryLoops.All), MemberType = typeof(NotRetryLoops))]
    public Task NotARetry_Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    [Fact]
    public Task BeforeCSharp9_ExitUsesComparisons()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    HttpResponseMessage response = null;
                    [|for|] (var attempt = 0; attempt < 3; attempt++)
                    {
                        response = await client.GetAsync(url);
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                    }

                    return response;
                }
            }
            """,
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    HttpResponseMessage response = null;
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        response = await client.GetAsync(url);
                        if ((int)response.StatusCode >= 400 && (int)response.StatusCode < 500 && (int)response.StatusCode != 408)
                        {
                            return response;
                        }

                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                    }

                    return response;
                }
            }
            """);
        test.LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp8;
        test.WebImplicitUsings = false;
        test.TestCode = "using System;\nusing System.Net.Http;\nusing System.Threading.Tasks;\n\n" + test.TestCode;
        test.FixedCode = "using System;\nusing System.Net.Http;\nusing System.Threading.Tasks;\n\n" + test.FixedCode;
        return test.RunAsync();
    }

    [Fact]
    public Task IsSuccessStatusCode_ReturnsResponse()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    HttpResponseMessage? response = null;
                    [|for|] (var attempt = 0; attempt < 3; attempt++)
                    {
                        response = await client.GetAsync(url);
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                    }

                    return response!;
                }
            }
            """,
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    HttpResponseMessage? response = null;
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        response = await client.GetAsync(url);
                        if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                        {
                            return response;
                        }

                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                    }

                    return response!;
                }
            }
            """);
        test.ExpectedMessages = new() { "This retry also retries 4xx client errors: the loop sends the request again after a 400 Bad Request response" };
        return test.RunAsync();
    }

    [Fact]
    public Task StatusNotOk_Continue_NotReturningResponse_EnsureSuccess() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                var attempt = 0;
                [|while|] (attempt++ < 3)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        await Task.Delay(1000 * attempt);
                        continue;
                    }

                    return await response.Content.ReadAsStringAsync();
                }

                throw new InvalidOperationException("gave up");
            }
        }
        """,
        """
        using System.Net;

        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                var attempt = 0;
                while (attempt++ < 3)
                {
                    var response = await client.GetAsync(url);
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                    {
                        response.EnsureSuccessStatusCode();
                    }

                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        await Task.Delay(1000 * attempt);
                        continue;
                    }

                    return await response.Content.ReadAsStringAsync();
                }

                throw new InvalidOperationException("gave up");
            }
        }
        """);

    [Fact]
    public Task UsingStatement_ExitFirstInBody() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<byte[]> Get(HttpClient client, HttpRequestMessage request)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    using (var response = await client.SendAsync(request))
                    {
                        if (response.IsSuccessStatusCode)
                        {
                            return await response.Content.ReadAsByteArrayAsync();
                        }
                    }

                    await Task.Delay(100 << attempt);
                }

                return Array.Empty<byte>();
            }
        }
        """.Replace("for (var", "[|for|] (var"),
        """
        public class Api
        {
            public async Task<byte[]> Get(HttpClient client, HttpRequestMessage request)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    using (var response = await client.SendAsync(request))
                    {
                        if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                        {
                            response.EnsureSuccessStatusCode();
                        }

                        if (response.IsSuccessStatusCode)
                        {
                            return await response.Content.ReadAsByteArrayAsync();
                        }
                    }

                    await Task.Delay(100 << attempt);
                }

                return Array.Empty<byte>();
            }
        }
        """);

    [Fact]
    public Task EnsureSuccessStatusCode_CatchHttpRequestException_Filtered()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<string> Get(HttpClient client, string url)
                {
                    [|for|] (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            var response = await client.GetAsync(url);
                            response.EnsureSuccessStatusCode();
                            return await response.Content.ReadAsStringAsync();
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(200 * (attempt + 1));
                        }
                    }

                    throw new InvalidOperationException("gave up");
                }
            }
            """,
            """
            using System.Net;

            public class Api
            {
                public async Task<string> Get(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            var response = await client.GetAsync(url);
                            response.EnsureSuccessStatusCode();
                            return await response.Content.ReadAsStringAsync();
                        }
                        catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout)
                        {
                            await Task.Delay(200 * (attempt + 1));
                        }
                    }

                    throw new InvalidOperationException("gave up");
                }
            }
            """);
        test.ExpectedMessages = new() { "This retry also retries 4xx client errors: the loop catches the HttpRequestException that EnsureSuccessStatusCode() throws for 400 Bad Request and sends the request again" };
        return test.RunAsync();
    }

    [Fact]
    public Task GetStringAsync_CatchWithGuardFilter_Combined()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    [|while|] (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException ex) when (attempt++ < 3)
                        {
                            Console.WriteLine(ex.Message);
                        }
                    }
                }
            }
            """,
            """
            using System.Net;

            public class Api
            {
                public async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException ex) when (attempt++ < 3 && (ex.StatusCode is null || (int)ex.StatusCode >= 500 || ex.StatusCode == HttpStatusCode.RequestTimeout))
                        {
                            Console.WriteLine(ex.Message);
                        }
                    }
                }
            }
            """);
        test.ExpectedMessages = new() { "This retry also retries 4xx client errors: the loop catches the HttpRequestException that GetStringAsync() throws for 400 Bad Request and sends the request again" };
        return test.RunAsync();
    }

    [Fact]
    public Task CatchException_RethrowClauseBefore() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<T?> Get<T>(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await client.GetFromJsonAsync<T>(url);
                    }
                    catch (Exception)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(attempt + 1));
                    }
                }

                return default;
            }
        }
        """.Replace("for (var", "[|for|] (var"),
        """
        public class Api
        {
            public async Task<T?> Get<T>(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await client.GetFromJsonAsync<T>(url);
                    }
                    catch (HttpRequestException e) when ((int?)e.StatusCode is >= 400 and < 500 and not 408)
                    {
                        throw;
                    }
                    catch (Exception)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(attempt + 1));
                    }
                }

                return default;
            }
        }
        """);

    [Fact]
    public Task FixAll_TwoLoops() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> A(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.PostAsync("a", null);
                    if (response.IsSuccessStatusCode || i == 2)
                    {
                        return response;
                    }
                }
            }

            public HttpResponseMessage B(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Delete, "b"));
                    if (response.IsSuccessStatusCode || i == 2)
                    {
                        return response;
                    }
                }
            }
        }
        """.Replace("for (var", "[|for|] (var"),
        """
        public class Api
        {
            public async Task<HttpResponseMessage> A(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.PostAsync("a", null);
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                    {
                        return response;
                    }

                    if (response.IsSuccessStatusCode || i == 2)
                    {
                        return response;
                    }
                }
            }

            public HttpResponseMessage B(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Delete, "b"));
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                    {
                        return response;
                    }

                    if (response.IsSuccessStatusCode || i == 2)
                    {
                        return response;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task TransientOnly_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> ServerErrorsOnly(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500 || attempt == 3)
                    {
                        return response;
                    }

                    await Task.Delay(100 << attempt);
                }
            }

            public async Task<HttpResponseMessage> TransientCheck(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    var transient = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout || response.StatusCode == HttpStatusCode.TooManyRequests;
                    if (!transient || attempt == 3)
                    {
                        return response;
                    }
                }
            }

            public async Task<HttpResponseMessage> TransientCondition(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout || (int)response.StatusCode == 429) && attempt < 3)
                    {
                        continue;
                    }

                    return response;
                }
            }

            public async Task<string> FilteredCatch(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException e) when (attempt < 3 && (e.StatusCode is null || (int)e.StatusCode >= 500))
                    {
                    }
                }
            }

            public async Task<string> NetworkErrorsOnly(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        var response = await client.GetAsync(url);
                        return await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                    }
                }
            }
        }
        """);

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            var response = await client.GetAsync(url);
                            response.EnsureSuccessStatusCode(
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }

    [Fact]
    public Task InsideTryWithCatch_NotReturningResponse_ReturnsTheGiveUpValue() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<string?> Get(HttpClient client, string url, HttpContent content)
            {
                for (var i = 0; i < 3; i++)
                {
                    try
                    {
                        var response = await client.PostAsync(url, content);
                        if (response.IsSuccessStatusCode)
                        {
                            return await response.Content.ReadAsStringAsync();
                        }

                        Console.WriteLine($"Attempt {i} failed: {response.StatusCode}");
                    }
                    catch (HttpRequestException ex)
                    {
                        Console.WriteLine(ex.Message);
                    }

                    await Task.Delay(1000 * (i + 1));
                }

                return null;
            }
        }
        """.Replace("for (var", "[|for|] (var"),
        """
        public class Api
        {
            public async Task<string?> Get(HttpClient client, string url, HttpContent content)
            {
                for (var i = 0; i < 3; i++)
                {
                    try
                    {
                        var response = await client.PostAsync(url, content);
                        if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                        {
                            return null;
                        }

                        if (response.IsSuccessStatusCode)
                        {
                            return await response.Content.ReadAsStringAsync();
                        }

                        Console.WriteLine($"Attempt {i} failed: {response.StatusCode}");
                    }
                    catch (HttpRequestException ex)
                    {
                        Console.WriteLine(ex.Message);
                    }

                    await Task.Delay(1000 * (i + 1));
                }

                return null;
            }
        }
        """);

    [Fact]
    public Task SuccessFlag_Flagged() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                var success = false;
                var attempts = 0;
                var result = "";
                while (!success && attempts < 5)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        result = await response.Content.ReadAsStringAsync();
                        success = true;
                    }
                    else
                    {
                        attempts++;
                        await Task.Delay(500 * attempts);
                    }
                }

                return result;
            }
        }
        """.Replace("while (!", "[|while|] (!"),
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                var success = false;
                var attempts = 0;
                var result = "";
                while (!success && attempts < 5)
                {
                    var response = await client.GetAsync(url);
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                    {
                        return result;
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        result = await response.Content.ReadAsStringAsync();
                        success = true;
                    }
                    else
                    {
                        attempts++;
                        await Task.Delay(500 * attempts);
                    }
                }

                return result;
            }
        }
        """);

    [Fact]
    public Task NamedClientErrorRetriedOnPurpose_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public class Api
        {
            private readonly Func<Task> _refreshToken = () => Task.CompletedTask;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 2; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        await _refreshToken();
                        continue;
                    }

                    return response;
                }

                throw new HttpRequestException("unauthorized");
            }
        }
        """);
}
