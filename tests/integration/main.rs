mod zoho;
