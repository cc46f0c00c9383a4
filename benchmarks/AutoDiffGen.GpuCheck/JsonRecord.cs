using System.Collections.Generic;
using System.Text.Json;

namespace AutoDiffGen.GpuCheck;

/// <summary>An ordered JSON object built up as measurements come in; values are numbers, strings, booleans or nested records.</summary>
internal sealed class JsonRecord
{
    private readonly List<KeyValuePair<string, object?>> _fields = [];

    public JsonRecord Add(string key, object? value)
    {
        _fields.Add(new(key, value));
        return this;
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in _fields)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonRecord record:
                record.WriteTo(writer);
                break;
            case IEnumerable<JsonRecord> records:
                writer.WriteStartArray();
                foreach (var record in records)
                {
                    record.WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double d:
                writer.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
