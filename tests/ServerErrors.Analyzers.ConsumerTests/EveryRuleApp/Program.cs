// A fresh `dotnet new web` app with the mistakes of every rule (the consumer end-to-end test copies this folder).
using EveryRuleApp;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddRetryAfterExamples();
builder.Services.AddResilienceExamples();

// SE1002
builder.Services.AddSignalR(options => options.EnableDetailedErrors = true);

var app = builder.Build();

// SE1002
app.UseDeveloperExceptionPage();

app.MapControllers();
app.MapServerExamples();
app.UseMiddleware<MaintenanceMiddleware>();

app.Run();
