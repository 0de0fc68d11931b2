"""``newsetl dashboard``: a Streamlit app over the published Parquet snapshot (extra ``newsetl[dashboard]``)."""
