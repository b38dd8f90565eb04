using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Stubs;

/// <summary>Verifier shortcuts for hand-written retry loop tests: the .NET runtime and ASP.NET Core, no retry library.</summary>
public static class LoopVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static CodeFixTest<TAnalyzer, TCodeFix> Create(string testCode, string? fixedCode = null) => new()
    {
        TestCode = testCode,
        FixedCode = fixedCode ?? testCode,
    };

    public static Task VerifyAnalyzerAsync(string testCode) => Create(testCode).RunAsync();

    public static Task VerifyCodeFixAsync(string testCode, string fixedCode) => Create(testCode, fixedCode).RunAsync();
}

/// <summary>Loops that call HttpClient but are not retries of one request: every loop rule must stay silent on them.</summary>
public static class NotRetryLoops
{
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var source in Sources)
        {
            data.Add(source);
        }

        return data;
    }

    private static readonly string[] Sources =
    {
        // foreach over different URLs
        """
        public class Crawler
        {
            public async Task<List<string>> FetchAll(HttpClient client, string[] urls)
            {
                var pages = new List<string>();
                foreach (var url in urls)
                {
                    var response = await client.GetAsync(url);
                    if (!response.IsSuccessStatusCode)
                    {
                        await Task.Delay(1000);
                        continue;
                    }

                    pages.Add(await response.Content.ReadAsStringAsync());
                }

                return pages;
            }
        }
        """,
        // for over the indexes of different URLs
        """
        public class Crawler
        {
            public async Task<string?> FirstAvailable(HttpClient client, string[] mirrors)
            {
                for (var i = 0; i < mirrors.Length; i++)
                {
                    var response = await client.GetAsync(mirrors[i]);
                    if (response.IsSuccessStatusCode)
                    {
                        return await response.Content.ReadAsStringAsync();
                    }

                    await Task.Delay(500);
                }

                return null;
            }
        }
        """,
        // paging: follow the next link
        """
        public record Page(List<string> Items, string? Next);

        public class Pager
        {
            public async Task<List<string>> All(HttpClient client)
            {
                var items = new List<string>();
                string? next = "items?page=1";
                while (true)
                {
                    var response = await client.GetAsync(next);
                    if (!response.IsSuccessStatusCode)
                    {
                        await Task.Delay(1000);
                        continue;
                    }

                    var page = await response.Content.ReadFromJsonAsync<Page>();
                    items.AddRange(page!.Items);
                    next = page.Next;
                    if (next is null)
                    {
                        return items;
                    }
                }
            }
        }
        """,
        // paging with the next link in the loop condition
        """
        public record Page(List<string> Items, string? Next);

        public class Pager
        {
            public async Task<List<string>> All(HttpClient client)
            {
                var items = new List<string>();
                string? url = "items";
                do
                {
                    var page = await client.GetFromJsonAsync<Page>(url);
                    items.AddRange(page!.Items);
                    url = page.Next;
                }
                while (url != null);
                return items;
            }
        }
        """,
        // polling a job's status until it is done
        """
        public record Job(string Status);

        public class Poller
        {
            public async Task<Job> WaitForJob(HttpClient client, string id, CancellationToken ct)
            {
                while (true)
                {
                    var job = await client.GetFromJsonAsync<Job>($"jobs/{id}", ct);
                    if (job!.Status == "done")
                    {
                        return job;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
            }
        }
        """,
        // polling on 202 Accepted
        """
        using System.Net;

        public class Poller
        {
            public async Task<HttpResponseMessage> WaitForResult(HttpClient client, string statusUrl)
            {
                while (true)
                {
                    var response = await client.GetAsync(statusUrl);
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        return response;
                    }

                    await Task.Delay(1000);
                }
            }
        }
        """,
        // polling an operation: 202 Accepted (and 404 until the operation exists) mean "not yet"
        """
        using System.Net;

        public class Poller
        {
            public async Task<HttpResponseMessage> WaitForOperation(HttpClient client, Uri operationUrl)
            {
                while (true)
                {
                    var response = await client.GetAsync(operationUrl);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return response;
                    }

                    if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound)
                    {
                        await Task.Delay(2000);
                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                }
            }
        }
        """,
        // polling: success with a body that says "not yet"
        """
        public class Poller
        {
            public async Task<string> WaitUntilReady(HttpClient client, string url)
            {
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        if (body.Contains("ready"))
                        {
                            return body;
                        }
                    }

                    await Task.Delay(5000);
                }
            }
        }
        """,
        // paced batch uploads
        """
        public class Uploader
        {
            public async Task Upload(HttpClient client, List<string[]> batches)
            {
                for (var i = 0; i < batches.Count; i++)
                {
                    var response = await client.PostAsJsonAsync("upload", batches[i]);
                    response.EnsureSuccessStatusCode();
                    await Task.Delay(200);
                }
            }
        }
        """,
        // paced uploads from a queue
        """
        public class Uploader
        {
            public async Task Drain(HttpClient client, Queue<string> queue)
            {
                while (queue.TryDequeue(out var item))
                {
                    var response = await client.PostAsync("items", new StringContent(item));
                    if (!response.IsSuccessStatusCode)
                    {
                        continue;
                    }

                    await Task.Delay(100);
                }
            }
        }
        """,
        // uploads of items taken from a reader: the content changes every iteration
        """
        public class Uploader
        {
            public async Task Send(HttpClient client, TextReader reader)
            {
                while (true)
                {
                    var line = reader.ReadLine();
                    if (line is null)
                    {
                        return;
                    }

                    var response = await client.PostAsync("lines", new StringContent(line));
                    if (response.IsSuccessStatusCode)
                    {
                        continue;
                    }
                }
            }
        }
        """,
        // the body never repeats the call after a failure
        """
        public class Reader
        {
            public async Task<string> Read(HttpClient client, string url)
            {
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException("failed");
                    }

                    return await response.Content.ReadAsStringAsync();
                }
            }
        }
        """,
        // a heartbeat: sends every few seconds whatever the outcome, never leaves on success
        """
        public class Heartbeat
        {
            public async Task Run(HttpClient client, CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    try
                    {
                        await client.PostAsync("heartbeat", null, ct);
                    }
                    catch (HttpRequestException)
                    {
                    }

                    await Task.Delay(5000, ct);
                }
            }
        }
        """,
        // two different requests in the loop
        """
        public class Chatty
        {
            public async Task<string> Login(HttpClient client)
            {
                while (true)
                {
                    var token = await client.GetStringAsync("token");
                    var response = await client.PostAsync("login", new StringContent(token));
                    if (response.IsSuccessStatusCode)
                    {
                        return token;
                    }
                }
            }
        }
        """,
        // the request is built by a helper that can return something new every time
        """
        public class Feed
        {
            private readonly Queue<string> _urls = new();

            private string NextUrl() => _urls.Dequeue();

            public async Task<HttpResponseMessage> Next(HttpClient client)
            {
                while (true)
                {
                    var response = await client.GetAsync(NextUrl());
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }
                }
            }
        }
        """,
        // not understood, so not proven a retry: a switch over the status
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage?> Get(HttpClient client, string url)
            {
                while (true)
                {
                    var response = await client.GetAsync(url);
                    switch (response.StatusCode)
                    {
                        case HttpStatusCode.OK:
                            return response;
                        case HttpStatusCode.NotFound:
                            return null;
                    }

                    await Task.Delay(1000);
                }
            }
        }
        """,
        // not understood: an exception thrown inside the try that the loop's own catch handles
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                while (true)
                {
                    try
                    {
                        var response = await client.GetAsync(url);
                        if (!response.IsSuccessStatusCode)
                        {
                            throw new HttpRequestException("failed", null, response.StatusCode);
                        }

                        return await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(1000);
                    }
                }
            }
        }
        """,
        // not understood: a condition over the response the analyzer cannot evaluate
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.Content.Headers.ContentLength > 0)
                    {
                        return response;
                    }

                    await Task.Delay(1000);
                }
            }
        }
        """,
        // a loop that does not call HttpClient
        """
        public class Worker
        {
            public async Task<int> Compute(Func<Task<int?>> step)
            {
                while (true)
                {
                    var value = await step();
                    if (value is { } v)
                    {
                        return v;
                    }

                    await Task.Delay(100);
                }
            }
        }
        """,
    };
}
