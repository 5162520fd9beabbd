/* test-redact.c: every credential form Sitrep redacts, and kubectl output it leaves alone */
#include "config.h"

#include <string.h>

#include "sitrep-audit-redact.h"

/* Each secret below contains this, so one search says whether any of it is left. */
#define CANARY "Qx7canary"

typedef struct
{
  const char *name;
  const char *input;
  const char *expected;
} Form;

/* One line each, as a command line echoes it or a command prints it. */
static const Form forms[] = {
  { "token=", "kubectl get pods --token=tok" CANARY "1", "kubectl get pods --token=[redacted]" },
  { "token space", "kubectl get pods --token tok" CANARY "2 -o wide",
    "kubectl get pods --token [redacted] -o wide" },
  { "password=", "psql --password=pw" CANARY, "psql --password=[redacted]" },
  { "password space", "mysql --password pw" CANARY " -h db", "mysql --password [redacted] -h db" },
  { "client-key=", "kubectl --client-key=/keys/" CANARY ".pem get pods",
    "kubectl --client-key=[redacted] get pods" },
  { "client-key space", "kubectl --client-key /keys/" CANARY ".pem get pods",
    "kubectl --client-key [redacted] get pods" },
  { "client-key-data=", "--client-key-data=LS0tLS1" CANARY "Q==", "--client-key-data=[redacted]" },
  { "client-key-data space", "--client-key-data LS0tLS1" CANARY "Q== get",
    "--client-key-data [redacted] get" },
  { "client-certificate-data=", "--client-certificate-data=LS0tLS1" CANARY,
    "--client-certificate-data=[redacted]" },
  { "client-certificate-data space", "--client-certificate-data LS0tLS1" CANARY " x",
    "--client-certificate-data [redacted] x" },
  { "bearer-token=", "--bearer-token=bt" CANARY, "--bearer-token=[redacted]" },
  { "bearer-token space", "--bearer-token bt" CANARY " get", "--bearer-token [redacted] get" },
  { "Authorization Bearer", "Authorization: Bearer abc" CANARY "def",
    "Authorization: Bearer [redacted]" },
  { "Authorization Basic", "> Authorization: Basic dXNlcjp" CANARY "=",
    "> Authorization: Basic [redacted]" },
  { "Authorization Token", "authorization: Token tk" CANARY, "authorization: Token [redacted]" },
  { "Proxy-Authorization Basic", "Proxy-Authorization: Basic cHJveHk" CANARY,
    "Proxy-Authorization: Basic [redacted]" },
  { "Proxy-Authorization Bearer", "Proxy-Authorization: Bearer pb" CANARY "xyz",
    "Proxy-Authorization: Bearer [redacted]" },
  { "https userinfo", "error: Get \"https://admin:pw" CANARY "@api.example.com/v1\": dial tcp",
    "error: Get \"https://admin:[redacted]@api.example.com/v1\": dial tcp" },
  { "postgres userinfo", "FATAL: cannot connect to postgres://app:pg" CANARY "@db:5432/app",
    "FATAL: cannot connect to postgres://app:[redacted]@db:5432/app" },
  { "redis userinfo", "Could not connect to redis://:rd" CANARY "@cache:6379/0",
    "Could not connect to redis://:[redacted]@cache:6379/0" },
  { "query token", "GET https://api.example.com/x?token=qt" CANARY "&page=2",
    "GET https://api.example.com/x?token=[redacted]&page=2" },
  { "query key", "GET /maps?key=k" CANARY " 200", "GET /maps?key=[redacted] 200" },
  { "query secret", "/cb?client_secret=cs" CANARY "&x=1", "/cb?client_secret=[redacted]&x=1" },
  { "query password", "/login?user=a&password=p" CANARY, "/login?user=a&password=[redacted]" },
  { "query signature", "https://bucket.s3.amazonaws.com/f?X-Amz-Signature=ab" CANARY "&v=1",
    "https://bucket.s3.amazonaws.com/f?X-Amz-Signature=[redacted]&v=1" },
  { "query sig", "https://acct.blob.core.windows.net/c/f?sv=2021&sig=s" CANARY "%3D",
    "https://acct.blob.core.windows.net/c/f?sv=2021&sig=[redacted]" },
  { "AWS access key id", "aws_access_key_id=AKIAQX7CANARY0000000",
    "aws_access_key_id=[redacted]" },
  { "AWS access key id alone", "using key AKIAQX7CANARY0000000 for s3",
    "using key [redacted] for s3" },
  { "aws_secret_access_key", "aws_secret_access_key = wJalr/" CANARY "EXAMPLEKEY",
    "aws_secret_access_key = [redacted]" },
  { "AWS_SECRET_ACCESS_KEY env", "AWS_SECRET_ACCESS_KEY=wJalr" CANARY " aws s3 ls",
    "AWS_SECRET_ACCESS_KEY=[redacted] aws s3 ls" },
  { "GitHub ghp_", "remote: ghp_" CANARY "abcdefghijklmnopqrstuvwxyz0 rejected",
    "remote: [redacted] rejected" },
  { "GitHub gho_", "token gho_" CANARY "abcdefghijklmnopqrstuvwxyz0", "token [redacted]" },
  { "GitHub github_pat_", "github_pat_11ABCDEFG0" CANARY "_abcdefghijklmnopqrstuv used",
    "[redacted] used" },
  { "GitLab glpat-", "cloning with glpat-" CANARY "-abcdefghijk", "cloning with [redacted]" },
  { "Stripe sk_live_", "stripe: sk_live_" CANARY "0123456789abcdef invalid",
    "stripe: [redacted] invalid" },
  { "Slack xoxb-", "slack token xoxb-1234567890-" CANARY "-abc", "slack token [redacted]" },
  { "Slack xoxp-", "xoxp-12345-67890-" CANARY, "[redacted]" },
  { "Slack webhook", "POST https://hooks.slack.com/services/T0000/B0000/" CANARY "xyz failed",
    "POST https://hooks.slack.com/services/[redacted] failed" },
  { "JWT", "id_token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ" CANARY "In0.c2lnbmF0dXJl end",
    "id_token [redacted] end" },
  { "X-Api-Key header", "X-Api-Key: ak" CANARY, "X-Api-Key: [redacted]" },
  { "X-Auth-Token header", "x-auth-token: at" CANARY, "x-auth-token: [redacted]" },
  { "curl -H header", "curl -H 'X-Api-Key: ak" CANARY "' https://x",
    "curl -H 'X-Api-Key: [redacted]" },
  { "YAML password", "  password: hunter2" CANARY, "  password: [redacted]" },
  { "YAML token", "    token: tk" CANARY, "    token: [redacted]" },
  { "YAML client-key-data", "    client-key-data: LS0t" CANARY,
    "    client-key-data: [redacted]" },
  { "YAML tls.key", "  tls.key: LS0t" CANARY, "  tls.key: [redacted]" },
  { "JSON password", "{\"user\": \"app\", \"password\": \"pw" CANARY "\"}",
    "{\"user\": \"app\", \"password\": \"[redacted]\"}" },
  { "JSON tls.key", "    \"tls.key\": \"LS0tLS1CRUdJTi" CANARY "\",",
    "    \"tls.key\": \"[redacted]\"," },
  { "JSON Authorization", "{\"Authorization\":\"Basic YWRt" CANARY "\"}",
    "{\"Authorization\":\"[redacted]\"}" },
  { "conninfo password", "host=db user=app password=ci" CANARY " dbname=app",
    "host=db user=app password=[redacted] dbname=app" },
  { "PGPASSWORD", "PGPASSWORD=pg" CANARY " psql -h db", "PGPASSWORD=[redacted] psql -h db" },
  { "one-line private key",
    "key: -----BEGIN PRIVATE KEY-----MIIE" CANARY "-----END PRIVATE KEY----- ok",
    "key: [redacted] ok" },
};

/* Lines kubectl and friends print every day: nothing in them is a secret. */
static const char *const ordinary[] = {
  "NAME                          READY   UP-TO-DATE   AVAILABLE   AGE",
  "deployment.apps/api restarted",
  "Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas are available...",
  "deployment \"api\" successfully rolled out",
  "REVISION  CHANGE-CAUSE",
  "3         kubectl set image deployment/api api=registry.example.com/api:1.4.2",
  "pod/api-7d9f8b6c5-x2x9z   1/1     Running   0          3h",
  "secret/db-password created",
  "NAME          TYPE     DATA   AGE",
  "db-password   Opaque   1      5d",
  "api-token     kubernetes.io/service-account-token   3      40d",
  "Mountable secrets:   default-token-x7k2p",
  "Tokens:              default-token-x7k2p",
  "Type:  kubernetes.io/service-account-token",
  "password:  16 bytes",
  "token:     1024 bytes",
  "Error from server (NotFound): secrets \"api-token\" not found",
  "  Warning  FailedMount  30s  kubelet  MountVolume.SetUp failed for volume \"api-token\" : "
  "secret \"api-token\" not found",
  "  Normal   Pulled       2m   kubelet  Successfully pulled image "
  "\"registry.example.com/api:1.4.2\" in 1.2s",
  "I1128 10:00:00.000000   12345 round_trippers.go:553] GET "
  "https://10.0.0.1:6443/api/v1/namespaces/carecircle/pods?limit=500 200 OK in 12 milliseconds",
  "The connection to the server localhost:8080 was refused - did you specify the right host or "
  "port?",
  "Switched to context \"prod\".",
  "    Image:          registry.example.com/api@sha256:0123456789abcdef",
  "    Environment:    DATABASE_URL:  <set to the key 'url' in secret 'db'>  Optional: false",
  "skipped rollback (current template already matches revision 2)",
  "error: the server doesn't have a resource type \"secrets\"",
  "deployment.apps/api scaled",
  "Hello from the API: all 3 tokens refreshed, bearer auth ok",
  "        \"secretName\": {",
  "    \"name\": \"api-token\",",
};

static void
test_forms (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *redacted = sitrep_audit_redact (forms[i].input);

      if (g_strcmp0 (redacted, forms[i].expected) != 0)
        g_error ("%s:\n  input:    %s\n  expected: %s\n  got:      %s", forms[i].name,
                 forms[i].input, forms[i].expected, redacted);
      g_autofree char *input = g_ascii_strdown (forms[i].input, -1);
      g_autofree char *output = g_ascii_strdown (redacted, -1);
      g_autofree char *canary = g_ascii_strdown (CANARY, -1);

      g_assert_nonnull (strstr (input, canary));
      g_assert_null (strstr (output, canary));
    }
}

static void
test_ordinary (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (ordinary); i++)
    {
      g_autofree char *redacted = sitrep_audit_redact (ordinary[i]);

      if (g_strcmp0 (redacted, ordinary[i]) != 0)
        g_error ("an ordinary line was changed:\n  %s\n  %s", ordinary[i], redacted);
    }
}

/* The space form of an option spans two arguments: the second is the value. */
static void
test_argv (void)
{
  const char *const kubectl[] = {
    "kubectl", "--token", "t" CANARY, "--password", "p" CANARY, "--client-key", "/k/" CANARY,
    "--client-key-data", "d" CANARY, "--client-certificate-data", "c" CANARY,
    "--bearer-token", "b" CANARY, "--header", "Authorization: Bearer h" CANARY "h",
    "get", "pods", "--token=e" CANARY, NULL
  };
  const char *const redis[] = { "redis-cli", "-h", "cache", "-a", "r" CANARY, "PING", NULL };
  const char *const curl[] = { "curl", "-u", "admin:c" CANARY, "https://x/", NULL };
  const char *const expected[] = {
    "kubectl", "--token", "[redacted]", "--password", "[redacted]", "--client-key", "[redacted]",
    "--client-key-data", "[redacted]", "--client-certificate-data", "[redacted]",
    "--bearer-token", "[redacted]", "--header", "Authorization: Bearer [redacted]",
    "get", "pods", "--token=[redacted]", NULL
  };
  g_auto(GStrv) a = sitrep_audit_redact_argv (kubectl);
  g_auto(GStrv) b = sitrep_audit_redact_argv (redis);
  g_auto(GStrv) c = sitrep_audit_redact_argv (curl);

  g_assert_cmpstrv (a, expected);
  g_assert_cmpstr (b[4], ==, "[redacted]");
  g_assert_cmpstr (b[5], ==, "PING");
  g_assert_cmpstr (c[2], ==, "admin:[redacted]");
  g_assert_cmpstr (c[3], ==, "https://x/");
}

/* A private key printed over many lines, whole or line by line as a run streams it. */
static void
test_private_key (void)
{
  const char *text = "before\n"
                     "-----BEGIN RSA PRIVATE KEY-----\n"
                     "Proc-Type: 4,ENCRYPTED\n"
                     "MIIEpAIBAAKCAQEA" CANARY "abc\n"
                     "q83vEjWl" CANARY "+/==\n"
                     "-----END RSA PRIVATE KEY-----\n"
                     "after password=x" CANARY "\n";
  g_autofree char *whole = sitrep_audit_redact (text);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) streamed = g_string_new (NULL);
  gboolean in_key = FALSE;

  g_assert_cmpstr (whole, ==, "before\n[redacted]\nafter password=[redacted]\n");
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_autofree char *line = sitrep_redactor_redact_line (NULL, lines[i], &in_key);

      if (line != NULL)
        g_string_append_printf (streamed, "%s\n", line);
    }
  g_assert_cmpstr (streamed->str, ==, whole);
  g_assert_false (in_key);

  /* A key cut short: the next ordinary line is output again. */
  {
    g_autofree char *cut = sitrep_audit_redact ("-----BEGIN PRIVATE KEY-----\nMIIE" CANARY "\n"
                                                "error: connection reset by peer\n");

    g_assert_cmpstr (cut, ==, "[redacted]\nerror: connection reset by peer\n");
  }
}

/* The exact value of a secret the run was handed, wherever and however it appears. */
static void
test_values (void)
{
  g_autoptr(SitrepRedactor) redactor = sitrep_redactor_new ();
  const char *const argv[] = { "deploy", "--note=v" CANARY "v", NULL };
  g_auto(GStrv) redacted_argv = NULL;
  g_autofree char *text = NULL;
  gboolean in_key = FALSE;
  g_autofree char *line = NULL;

  sitrep_redactor_add_secret (redactor, "v" CANARY "v");
  sitrep_redactor_add_secret (redactor, CANARY);
  sitrep_redactor_add_secret (redactor, "");
  sitrep_redactor_add_secret (redactor, NULL);
  g_assert_cmpuint (sitrep_redactor_get_n_secrets (redactor), ==, 2);

  text = sitrep_redactor_redact (redactor, "echo v" CANARY "v; then " CANARY "!\nok");
  g_assert_cmpstr (text, ==, "echo [redacted]; then [redacted]!\nok");
  line = sitrep_redactor_redact_line (redactor, "token is v" CANARY "v.", &in_key);
  g_assert_cmpstr (line, ==, "token is [redacted].");
  redacted_argv = sitrep_redactor_redact_argv (redactor, argv);
  g_assert_cmpstr (redacted_argv[1], ==, "--note=[redacted]");
}

/* Lines a hostile or broken command may print, at the longest a run keeps: each is redacted in
 * one pass (the meson timeout, not a clock here, catches a pattern that backtracks). */
static void
test_hostile_lines (void)
{
  static const char *const units[] = { "token", "a", "eyJ", "a.", "\"", "--token ", "a=", "://a:",
                                       "-----BEGIN RSA PRIVATE KEY-----", "?key=", "x-api-key: " };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *redacted = NULL;
      gboolean in_key = FALSE;

      while (line->len < 64 * 1024)
        g_string_append (line, units[i]);
      g_string_append (line, "=tail");
      redacted = sitrep_redactor_redact_line (NULL, line->str, &in_key);
      g_assert_nonnull (redacted);
      g_assert_true (g_utf8_validate (redacted, -1, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/redact/forms", test_forms);
  g_test_add_func ("/redact/ordinary", test_ordinary);
  g_test_add_func ("/redact/argv", test_argv);
  g_test_add_func ("/redact/private-key", test_private_key);
  g_test_add_func ("/redact/values", test_values);
  g_test_add_func ("/redact/hostile-lines", test_hostile_lines);

  return g_test_run ();
}
