"""Analysis stages: plain functions over the document model."""
