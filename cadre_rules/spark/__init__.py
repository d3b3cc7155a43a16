"""The Spark adapter room: audits of a Spark DataFrame of case documents (docs/spark.md).

`audit_dataframe(df)` runs `mapInPandas` over the cases; `audit_batches` is its pure part (pandas
batches in, rows out), used and tested without Spark. pyspark is imported only by
`audit_dataframe`: install the `spark` extra where the cluster job is built.
"""
from cadre_rules.spark.audit import COLUMNS, SPARK_SCHEMA, audit_batches, audit_dataframe, audit_documents

__all__ = ["COLUMNS", "SPARK_SCHEMA", "audit_batches", "audit_dataframe", "audit_documents"]
